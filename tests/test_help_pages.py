"""Every command's --help has a description and examples that run, and fits 80 columns."""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable

import pytest

from storyfacts.cli import build_parser
from storyfacts.manual import PAGES

RunCli = Callable[..., tuple[int, str, str]]  # the run_cli fixture, from conftest.py

COMMANDS = sorted(build_parser()._subparsers._group_actions[0].choices)  # type: ignore[union-attr]


def test_every_command_has_a_page() -> None:
    """A command added to the parser needs its examples in storyfacts.manual."""
    assert set(COMMANDS) <= set(PAGES)


@pytest.mark.parametrize("command", COMMANDS)
def test_help_has_description_examples_and_fits(
    run_cli: RunCli, command: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`storyfacts COMMAND --help` describes the command and ends with examples of it."""
    monkeypatch.setenv("COLUMNS", "80")
    code, out, _ = run_cli(command, "--help")
    assert code == 0
    usage, description, *_ = out.split("\n\n")
    assert usage.startswith(f"usage: storyfacts {command}")
    assert len(description.split()) >= 8, description
    examples = out[out.index("\nexamples:\n") :]
    assert f"storyfacts {command}" in examples
    assert max(len(line) for line in out.splitlines()) <= 80


@pytest.mark.parametrize("command", COMMANDS)
def test_examples_parse(command: str) -> None:
    """Each example is a command line the parser accepts (its options and values exist)."""
    parser = build_parser()
    lines = re.sub(r"\\\n\s+", " ", PAGES[command][1]).splitlines()[1:]
    assert lines
    for line in lines:
        # Words after three spaces are the example's comment; a pipe or redirection ends it.
        text = line.strip().split("   ")[0].split(" | ")[0].split(" > ")[0]
        words = shlex.split(text)
        words = words[words.index("storyfacts") + 1 :]  # after any VAR=value
        assert parser.parse_args(words).command == command


def test_import_argument_has_help(run_cli: RunCli) -> None:
    """import's WORKBOOK argument says what it takes."""
    _, out, _ = run_cli("import", "--help")
    assert "WORKBOOK              an .xlsx workbook" in out


def test_top_level_help_has_examples(run_cli: RunCli) -> None:
    """`storyfacts --help` ends with examples and points to each command's help."""
    _, out, _ = run_cli("--help")
    assert "examples:\n  storyfacts export" in out
    assert "storyfacts COMMAND --help" in out
