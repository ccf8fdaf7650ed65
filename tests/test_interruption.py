"""A signal or a failure half-way through an export leaves nothing behind, and says one line.

Each test runs the real command in a subprocess with its own TMPDIR, and the
signal is really delivered: the script below makes the exporter's first
progress report send it to its own process, so it arrives mid-write, after
the temporary output (and, for xlsx, openpyxl's spill files) exist.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

_SIGNAL_MID_EXPORT = """
import os, signal, sys, time
# As started from a terminal, whatever started the test run: nohup ignores
# SIGHUP and a shell's background job SIGINT, and the command rightly keeps
# an ignored signal ignored.
signal.signal(signal.SIGHUP, signal.SIG_DFL)
signal.signal(signal.SIGINT, signal.default_int_handler)
from storyfacts.exporting import ExportContext
from storyfacts.cli import main

def advance(self, count=1):
    os.kill(os.getpid(), int(sys.argv[1]))
    time.sleep(120)  # the signal's handler raises here

ExportContext.advance = advance
sys.exit(main(sys.argv[2:]))
"""

_DISK_FULL_WHILE_SAVING = """
import errno, sys, zipfile
from storyfacts.cli import main

def write(self, *args, **kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")

zipfile.ZipFile.write = write  # how XlsxWriter adds each part to the workbook
sys.exit(main(sys.argv[1:]))
"""


def _run(script: str, args: list[str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    scratch = tmp_path / "tmpdir"
    scratch.mkdir()
    env = {**os.environ, "TMPDIR": str(scratch)}
    return subprocess.run(
        [sys.executable, "-c", script, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _contents(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir())


@pytest.mark.parametrize(
    ("signum", "format_name"),
    [
        (signal.SIGTERM, "xlsx"),
        (signal.SIGTERM, "csv"),
        (signal.SIGTERM, "ics"),
        (signal.SIGHUP, "json"),
        (signal.SIGINT, "xlsx"),
    ],
)
def test_a_signal_mid_export_leaves_nothing_and_says_one_line(
    tmp_path: Path, signum: int, format_name: str
) -> None:
    """SIGTERM and SIGHUP stop an export as cleanly as Ctrl-C: no temp output, no spill files."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("old")
    result = _run(
        _SIGNAL_MID_EXPORT,
        [str(int(signum)), "export", "-f", format_name, "-o", str(out / "result")],
        tmp_path,
    )
    assert result.returncode == 128 + signum, result.stderr
    expected = (
        "interrupted" if signum == signal.SIGINT else f"stopped by {signal.Signals(signum).name}"
    )
    assert result.stderr == f"storyfacts: {expected}; nothing partial was left behind.\n"
    assert result.stdout == ""
    assert _contents(out) == ["keep.txt"]
    assert (out / "keep.txt").read_text() == "old"
    assert _contents(tmp_path / "tmpdir") == []


def test_a_failed_workbook_save_prints_one_line_and_leaves_no_spill_files(
    tmp_path: Path,
) -> None:
    """A disk filling up while the workbook is saved gives one sentence, no "Exception ignored"."""
    target = tmp_path / "out.xlsx"
    result = _run(_DISK_FULL_WHILE_SAVING, ["export", "-f", "xlsx", "-o", str(target)], tmp_path)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert "No space left on device" in lines[0]
    assert _contents(tmp_path) == ["tmpdir"]
    assert _contents(tmp_path / "tmpdir") == []


def test_the_workbook_writer_removes_its_spill_files_after_a_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In a long-lived process a failed xlsx export does not keep its spill files until exit."""
    import tempfile
    import zipfile

    import storyfacts

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    scratch = tmp_path / "tmpdir"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    monkeypatch.setattr(zipfile.ZipFile, "write", full)
    with pytest.raises(storyfacts.ExportError, match="No space left"):
        storyfacts.export(None, "xlsx", tmp_path / "out.xlsx")
    assert _contents(scratch) == []


@pytest.mark.slow
def test_sigterm_from_outside_during_a_large_workbook_export(tmp_path: Path) -> None:
    """`kill -TERM` from another process while openpyxl's spill files exist: all cleaned up."""
    import json
    import time

    import generate  # benchmarks/generate.py, through pytest's pythonpath

    source = tmp_path / "large.json"
    source.write_text(json.dumps(generate.generate(20_000)), encoding="utf-8")
    scratch = tmp_path / "tmpdir"
    scratch.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    command = [sys.executable, "-m", "storyfacts", "export", str(source), "-f", "xlsx"]
    process = subprocess.Popen(
        [*command, "-o", str(out / "large.xlsx")],
        env={**os.environ, "TMPDIR": str(scratch)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        # Wait (without a deadline of our own) until a sheet is spilling rows.
        while process.poll() is None and not any(scratch.glob("storyfacts-xlsx-*/*")):
            time.sleep(0.01)
        assert process.poll() is None, "the export ended before it could be stopped"
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=300)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 128 + signal.SIGTERM, err
    assert err == "storyfacts: stopped by SIGTERM; nothing partial was left behind.\n"
    assert _contents(out) == []
    assert _contents(scratch) == []
