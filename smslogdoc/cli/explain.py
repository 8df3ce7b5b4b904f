"""`smslogdoc explain CODE`: what an error code means."""

from __future__ import annotations

import argparse

from smslogdoc.cli.common import (
    Exit,
)


def explain_code(args: argparse.Namespace) -> None:
    """What an error code means: Win32, HRESULT, Windows Installer, WMI, BITS, WinHTTP, ConfigMgr, ccmsetup,
    Delivery Optimization, Windows Setup, CBS/DISM, SQL Server, HTTP status.

    Where sources disagree on a code's meaning (or notes describe its log
    context), every meaning is listed under the first with its source;
    `--sources` names the source of every text. A trailing comma or period
    copied from a log is ignored. Exit 0 when every code is known, 1 when one
    is not in the table (it is said so), 2 when one is not a code at all."""
    from smslogdoc.codes import explain
    from smslogdoc.report.terminal import console, log_text

    out = console()
    bad = unknown = False
    for code in args.codes:
        try:
            explanations = explain(code, every=True)
        except ValueError as error:
            bad = True
            console(stderr=True).print(f"smslogdoc: {code}: {error}", markup=False)
            continue
        for explanation in explanations:
            line = explanation.one_line(note_others=False)
            out.print(log_text(line), soft_wrap=True)  # one line, whatever the width
            if not (explanation.others or getattr(args, "sources", False)):
                continue
            for source in explanation.source_lines():
                out.print(log_text(source), soft_wrap=True)
        if not any(explanation.known for explanation in explanations):
            unknown = True
            console(stderr=True).print(
                f"smslogdoc: {code}: not in the code table (smslogdoc knows no text for it)", markup=False
            )
    raise Exit(2 if bad else 1 if unknown else 0)
