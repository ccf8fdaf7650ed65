"""The same dataset gives the same workbook bytes, whatever optional libraries are installed.

openpyxl writes through lxml when it can; a plain ``pip install .`` has no
lxml. storyfacts has openpyxl use the standard library either way, so the
bytes are the same, and text (carriage returns included) reads back unchanged.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
from pathlib import Path
from typing import Any

import pytest

import storyfacts

ROOT = Path(__file__).resolve().parent.parent

# Exports the dataset at argv[1] to argv[2]; with argv[3] == "hide-lxml", as if
# lxml were not installed (an import of it fails), and says whether it was.
_EXPORT = """
import sys
if sys.argv[3] == "hide-lxml":
    sys.modules["lxml"] = None
import storyfacts
storyfacts.export(storyfacts.load(sys.argv[1]), "xlsx", sys.argv[2])
try:
    import lxml.etree
except ImportError:
    print("without lxml")
else:
    print("with lxml")
"""


@pytest.fixture
def carriage_returns(tmp_path: Path, seed_data: dict[str, Any]) -> Path:
    """The bundled dataset with carriage returns in an article, the title and a description."""
    article = seed_data["articles"][0]
    article["body"] += "\r\nA closing line.\r\nAnd another.\r"
    seed_data["title"] = "\r=1+1"
    seed_data["entities"][0]["description"] = "one\rtwo\r\nthree _x000D_"
    assert storyfacts.validate(seed_data) == []
    path = tmp_path / "dataset.json"
    path.write_text(json.dumps(seed_data), encoding="utf-8")
    return path


def _export(python: str, dataset: Path, target: Path, mode: str) -> str:
    result = subprocess.run(
        [python, "-c", _EXPORT, str(dataset), str(target), mode],
        capture_output=True,
        text=True,
        check=True,
        env={k: v for k, v in os.environ.items() if k != "OPENPYXL_LXML"},
    )
    return result.stdout.strip()


def test_bytes_are_the_same_with_and_without_lxml(carriage_returns: Path, tmp_path: Path) -> None:
    """An export with lxml importable and one with it hidden are byte for byte the same."""
    pytest.importorskip("lxml")
    with_lxml, without_lxml = tmp_path / "with.xlsx", tmp_path / "without.xlsx"
    assert _export(sys.executable, carriage_returns, with_lxml, "as-installed") == "with lxml"
    assert _export(sys.executable, carriage_returns, without_lxml, "hide-lxml") == "without lxml"
    assert with_lxml.read_bytes() == without_lxml.read_bytes()
    dataset = storyfacts.load(carriage_returns)
    in_process = storyfacts.export(dataset, "xlsx", tmp_path / "here.xlsx")
    assert in_process.read_bytes() == with_lxml.read_bytes()
    assert storyfacts.dumps(storyfacts.load(without_lxml)) == storyfacts.dumps(dataset)


def test_storyfacts_leaves_the_environment_as_it_found_it() -> None:
    """Choosing openpyxl's serializer does not leave OPENPYXL_LXML set for child processes."""
    probe = (
        "import os, storyfacts.workbook, openpyxl; "
        "print(openpyxl.LXML, os.environ.get('OPENPYXL_LXML'))"
    )
    env = {k: v for k, v in os.environ.items() if k != "OPENPYXL_LXML"}
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, env=env
    )
    assert result.stdout.split() == ["False", "None"]


@pytest.mark.slow
def test_a_plain_install_writes_the_same_bytes(carriage_returns: Path, tmp_path: Path) -> None:
    """`pip install .` in a fresh venv (no lxml) writes the bytes the test install writes."""
    environment = tmp_path / "venv"
    venv.create(environment, with_pip=True)
    python = str(environment / "bin" / "python")
    subprocess.run(
        [python, "-m", "pip", "install", "--quiet", str(ROOT)],
        check=True,
        capture_output=True,
    )
    plain, here = tmp_path / "plain.xlsx", tmp_path / "here.xlsx"
    assert _export(python, carriage_returns, plain, "as-installed") == "without lxml"
    _export(sys.executable, carriage_returns, here, "as-installed")
    assert plain.read_bytes() == here.read_bytes()
    reading = storyfacts.workbook.read(plain)
    assert reading.problems == []
    assert reading.data["title"] == "\r=1+1"
