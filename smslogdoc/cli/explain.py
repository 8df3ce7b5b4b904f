"""`smslogdoc explain CODE`: what an error code means."""

from __future__ import annotations

import argparse

from smslogdoc.cli.common import (
    Exit,
)


def explain_code(args: argparse.Namespace) -> None:
    """What an error code means: Win32, HRESULT, Windows Installer, WMI, BITS, WinHTTP, ConfigMgr, ccmsetup.

    A trailing comma or period copied from a log is ignored. Exit 0 when every
    code is known, 1 when one is not in the table (it is said so), 2 when one is
    not a code at all."""
    from smslogdoc.codes import explain
    from smslogdoc.report.terminal import console, log_text

    out = console()
    bad = unknown = False
    for code in args.codes:
        try:
            explanations = explain(code)
        except ValueError as error:
            bad = True
            console(stderr=True).print(f"smslogdoc: {code}: {error}", markup=False)
            continue
        for explanation in explanations:
            out.print(log_text(explanation.one_line()), soft_wrap=True)  # one line, whatever the width
        if not any(explanation.known for explanation in explanations):
            unknown = True
            console(stderr=True).print(
                f"smslogdoc: {code}: not in the code table (smslogdoc knows no text for it)", markup=False
            )
    raise Exit(2 if bad else 1 if unknown else 0)
