"""The console samples marked in the docs are what the tool really prints.

A block after ``<!-- sample: checked by tests/test_docs_samples.py -->`` is
run command by command in one empty directory (so an export can make the file
the next command reads), and each command's standard output must be the lines
under it. To rewrite the samples from real output after changing what a
command prints: ``STORYFACTS_UPDATE_SAMPLES=1 pytest tests/test_docs_samples.py``.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MARKER = "<!-- sample: checked by tests/test_docs_samples.py -->\n"
SAMPLE = re.compile(re.escape(MARKER) + r"```console\n(.*?)^```\n", re.S | re.M)
DOCS = sorted(p for p in (ROOT / "docs").rglob("*.md") if MARKER in p.read_text("utf-8"))


def test_samples_are_marked() -> None:
    """The samples this test keeps true are where they should be (a marker was not lost)."""
    names = {p.relative_to(ROOT).as_posix() for p in DOCS}
    assert {"docs/plugins/index.md", "docs/workbooks.md"} <= names


def commands(block: str) -> list[tuple[str, str]]:
    """Each ``$ command`` of a sample with the output printed under it."""
    found: list[tuple[str, str]] = []
    for line in block.splitlines(keepends=True):
        if line.startswith("$ "):
            found.append((line[2:].strip(), ""))
        else:
            command, printed = found[-1]
            found[-1] = (command, printed + line)
    return found


def real_output(command: str, cwd: Path) -> str:
    words = shlex.split(command)
    assert words[0] == "storyfacts", command
    # Only storyfacts' own plugins, whatever else this environment has installed.
    env = {k: v for k, v in os.environ.items() if not k.startswith("STORYFACTS_")}
    env |= {"STORYFACTS_LOAD_PLUGINS": "", "COLUMNS": "80"}
    done = subprocess.run(
        [sys.executable, "-m", "storyfacts", *words[1:]],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_samples_match_real_output(doc: Path, tmp_path: Path) -> None:
    """Every marked sample in this file prints exactly what the docs show."""
    text = doc.read_text(encoding="utf-8")
    blocks = SAMPLE.findall(text)
    assert blocks, f"{doc} has a marker but no console block after it"
    for index, block in enumerate(blocks):
        cwd = tmp_path / str(index)
        cwd.mkdir()
        real = "".join(
            f"$ {command}\n{real_output(command, cwd)}" for command, _ in commands(block)
        )
        if os.environ.get("STORYFACTS_UPDATE_SAMPLES") == "1":
            text = text.replace(MARKER + "```console\n" + block, MARKER + "```console\n" + real)
            doc.write_text(text, encoding="utf-8")
        else:
            assert real == block
