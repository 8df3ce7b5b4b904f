"""`smslogdoc explain CODE`: what an error code means."""

from __future__ import annotations

import argparse

from smslogdoc.cli.common import (
    Exit,
)


def explain_code(args: argparse.Namespace) -> None:
    """What an error code means: Win32, HRESULT, Windows Installer, WMI, BITS, WinHTTP, ConfigMgr, ccmsetup."""
    from smslogdoc.codes import explain
    from smslogdoc.report.terminal import console, log_text

    out = console()
    bad = False
    for code in args.codes:
        try:
            for explanation in explain(code):
                out.print(log_text(explanation.one_line()), soft_wrap=True)  # one line, whatever the width
        except ValueError as error:
            bad = True
            console(stderr=True).print(f"smslogdoc: {code}: {error}", markup=False)
    raise Exit(2 if bad else 0)
