"""Shell completion through click's ``_STORYFACTS_COMPLETE``: commands, options, formats, paths.

Each test runs the command as a shell's completion script does, in a fresh
process with the words typed so far in COMP_WORDS and COMP_CWORD.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


def complete(words: str, shell: str = "bash", cwd: Path | None = None) -> list[tuple[str, str]]:
    """What completing the last of ``words`` offers, as (kind, value) pairs (bash's answer)."""
    index = len(words.split()) - (0 if words.endswith(" ") else 1)
    env = {k: v for k, v in os.environ.items() if not k.startswith("STORYFACTS_")}
    env |= {
        "_STORYFACTS_COMPLETE": f"{shell}_complete",
        "COMP_WORDS": words,
        "COMP_CWORD": str(index),
        "STORYFACTS_LOAD_PLUGINS": "",
    }
    done = subprocess.run(
        [sys.executable, "-m", "storyfacts"],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    pairs = [tuple(line.split(",", 1)) for line in done.stdout.splitlines() if line]
    return [(kind, value) for kind, value in pairs]


def test_commands_complete() -> None:
    """`storyfacts ex<TAB>` offers export; nothing typed offers every command in order."""
    assert complete("storyfacts exp") == [("plain", "export")]
    every = [value for _, value in complete("storyfacts ")]
    assert every[:3] == ["validate", "export", "import"]
    assert {"merge", "split", "formats", "schema"} <= set(every)


def test_options_complete() -> None:
    """An option of the command being typed completes, long form included."""
    assert complete("storyfacts export --fo") == [("plain", "--format")]
    assert ("plain", "--keep-first") in complete("storyfacts merge --k")


@pytest.mark.parametrize(
    ("typed", "offered"),
    [
        ("storyfacts export -f x", ["xlsx"]),
        ("storyfacts export -f js", ["json", "jsonld"]),
        ("storyfacts export --format i", ["ics"]),
        ("storyfacts export -f csv,j", ["csv,json", "csv,jsonld"]),
        ("storyfacts export -f json,", ["json,csv", "json,ics", "json,jsonld", "json,xlsx"]),
    ],
)
def test_format_names_complete(typed: str, offered: list[str]) -> None:
    """-f completes exporter names, and the next name after a comma, skipping those given."""
    found = complete(typed)
    assert sorted(value for _, value in found) == offered
    assert {kind for kind, _ in found} == {"plain"}


def test_exporter_options_complete_for_the_formats_given() -> None:
    """-O completes KEY= for the options of the formats before it, or of every format."""
    assert complete("storyfacts export -f csv -O ") == [("plain", "bom="), ("plain", "formulas=")]
    assert complete("storyfacts export -O fo") == [("plain", "formulas=")]
    assert complete("storyfacts export -f json -O ") == []


def test_a_plugins_format_completes(tmp_path: Path) -> None:
    """A format registered by an installed plugin completes like a built-in one."""
    plugin = tmp_path / "sf_complete_probe.py"
    plugin.write_text(
        "from storyfacts import Exporter, hookimpl\n"
        "@hookimpl\n"
        "def register_exporters(register):\n"
        "    register(Exporter(name='probe-md', extension='.md', media_type='text/markdown',\n"
        "                      description='A probe.', write=lambda d, p, c: None))\n",
        encoding="utf-8",
    )
    dist = tmp_path / "sf_complete_probe-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Name: sf-complete-probe\nVersion: 1.0\n", encoding="utf-8")
    (dist / "entry_points.txt").write_text(
        "[storyfacts]\nprobe = sf_complete_probe\n", encoding="utf-8"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("STORYFACTS_")}
    env |= {
        "_STORYFACTS_COMPLETE": "bash_complete",
        "COMP_WORDS": "storyfacts export -f probe",
        "COMP_CWORD": "3",
        "PYTHONPATH": str(tmp_path),
    }
    done = subprocess.run(
        [sys.executable, "-m", "storyfacts"], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["plain,probe-md"]


def test_paths_complete_as_files() -> None:
    """A dataset, -o and other paths are left to the shell's file completion."""
    assert complete("storyfacts validate sto") == [("file", "sto")]
    assert complete("storyfacts export -f json -o ou") == [("file", "ou")]
    assert complete("storyfacts import wor") == [("file", "wor")]


def test_zsh_and_fish_get_descriptions() -> None:
    """zsh and fish show each format's description beside its name."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("STORYFACTS_")}
    env |= {
        "_STORYFACTS_COMPLETE": "zsh_complete",
        "COMP_WORDS": "storyfacts export -f ic",
        "COMP_CWORD": "3",
        "STORYFACTS_LOAD_PLUGINS": "",
    }
    done = subprocess.run(
        [sys.executable, "-m", "storyfacts"], env=env, capture_output=True, text=True, check=False
    )
    assert done.stdout.splitlines()[:2] == ["plain", "ics"]
    assert "iCalendar" in done.stdout.splitlines()[2]
    env |= {
        "_STORYFACTS_COMPLETE": "fish_complete",
        "COMP_WORDS": "storyfacts va",
        "COMP_CWORD": "va",
    }
    done = subprocess.run(
        [sys.executable, "-m", "storyfacts"], env=env, capture_output=True, text=True, check=False
    )
    assert (
        done.stdout == "plain,validate\tcheck datasets or edited workbooks and list every problem\n"
    )


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_the_documented_source_scripts_exist(shell: str) -> None:
    """`_STORYFACTS_COMPLETE={shell}_source storyfacts` prints a script that calls back."""
    env = {**os.environ, "_STORYFACTS_COMPLETE": f"{shell}_source"}
    done = subprocess.run(
        [sys.executable, "-m", "storyfacts"], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert f"_STORYFACTS_COMPLETE={shell}_complete" in done.stdout
    docs = (Path(__file__).resolve().parent.parent / "docs" / "cli.md").read_text("utf-8")
    assert f"_STORYFACTS_COMPLETE={shell}_source storyfacts" in docs
