"""Headless LibreOffice Calc for the tests that open a workbook as an editor's spreadsheet would.

Shared by the round-trip tests and the dropdown tests: where LibreOffice
is, how a test module says it needs it, and opening a workbook and saving
it again (which computes every formula openpyxl saved without a value).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

__all__ = ["NEEDED", "SOFFICE", "resave"]

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")

#: A test module's ``pytestmark``: slow, and skipped where LibreOffice is missing.
NEEDED = [
    pytest.mark.slow,
    pytest.mark.skipif(
        SOFFICE is None,
        reason="LibreOffice (soffice) is not installed; .ci/run installs libreoffice-calc-nogui",
    ),
]


def resave(workbook: Path, out: Path, profile: Path) -> Path:
    """Open ``workbook`` in headless LibreOffice, save it as .xlsx in ``out``; the new path.

    ``profile`` is a LibreOffice user directory of the test's own, so that
    tests never share (or wait on) one.
    """
    assert SOFFICE is not None
    out.mkdir()
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
            str(out),
            str(workbook),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return out / workbook.name
