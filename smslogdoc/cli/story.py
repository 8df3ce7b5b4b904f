"""`smslogdoc story`: every deployment of a machine's logs followed phase by phase."""

from __future__ import annotations

import argparse

from smslogdoc.cli.common import (
    Exit,
    fail,
    input_paths,
    load_rules_or_exit,
    load_workflows_or_exit,
    output_to,
    with_benign_list,
    zone_option,
)


def story(args: argparse.Namespace) -> None:
    """Every deployment found in a machine's logs (applications, packages,
    updates, task sequences, the client installation), succeeded ones too, as
    a timeline: one line per phase with its time and status, the failing or
    waiting phase marked with its evidence, and the next log to read.

    Exit 0 when every story shown succeeded or is not applicable, 1 when one
    failed, waits, stalled or is incomplete, 2 when nothing could be read or
    --deployment names no story."""
    from smslogdoc.diagnose import tell
    from smslogdoc.parallel import cores
    from smslogdoc.read.full import ReadOptions
    from smslogdoc.report.storytext import FORMATS, stories_document, write
    from smslogdoc.report.terminal import prefer_utf8_output

    prefer_utf8_output()
    if args.format not in FORMATS:
        fail(f"--format: expected one of {', '.join(FORMATS)}, got {args.format!r}")
    rules = with_benign_list(load_rules_or_exit(args.rules, args.no_builtin))
    workflows = load_workflows_or_exit(args.rules, rules, args.no_builtin)
    paths = input_paths(args.paths)
    outcome = tell(
        paths,
        rules,
        workflows,
        options=ReadOptions(zone=zone_option(args.tz)),
        deployment=args.deployment,
        jobs=cores(),
    )
    if not outcome.read_anything():
        fail("nothing could be read: " + "; ".join(str(problem) for problem in outcome.problems[:3]))
    if args.deployment is not None and not outcome.stories:
        fail(f"--deployment {args.deployment}: no story names it (smslogdoc story DIR lists them all)")
    with output_to(args.output) as out:
        write(stories_document(outcome), out, args.format)
    done = all(story.verdict in ("succeeded", "not_applicable") for story in outcome.stories)
    raise Exit(0 if done else 1)
