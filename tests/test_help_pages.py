"""Every command's --help has a description and examples that run, and fits 80 columns."""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable

import click
import pytest

from storyfacts.cli.group import COMMANDS, root
from storyfacts.manual import PAGES

RunCli = Callable[..., tuple[int, str, str]]  # the run_cli fixture, from conftest.py


def test_every_command_has_a_page() -> None:
    """A command added to the group needs its summary, description and examples in the manual."""
    assert set(COMMANDS) == set(PAGES)
    for summary, description, examples in PAGES.values():
        assert summary and description and examples


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_help_has_description_examples_and_fits(
    run_cli: RunCli, command: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`storyfacts COMMAND --help` describes the command and ends with examples of it."""
    monkeypatch.setenv("COLUMNS", "80")
    code, out, _ = run_cli(command, "--help")
    assert code == 0
    usage, description, *_ = out.split("\n\n")
    assert usage.startswith(f"Usage: storyfacts {command}")
    assert len(description.split()) >= 8, description
    examples = out[out.index("\nExamples:\n") :]
    assert f"storyfacts {command}" in examples
    assert max(len(line) for line in out.splitlines()) <= 80


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_examples_parse(command: str) -> None:
    """Each example is a command line click accepts (its options and values exist)."""
    lines = re.sub(r"\\\n\s+", " ", PAGES[command][2]).splitlines()
    assert lines
    for line in lines:
        # Words after three spaces are the example's comment; a pipe or redirection ends it.
        text = line.strip().split("   ")[0].split(" | ")[0].split(" > ")[0]
        words = shlex.split(text)
        words = words[words.index("storyfacts") + 1 :]  # after any VAR=value
        assert words[0] == command
        with root.make_context("storyfacts", list(words)) as top:
            found = root.get_command(top, words[0])
            assert found is not None
            # Parsing alone: nothing runs, and a usage error would raise here.
            found.make_context(command, words[1:], parent=top).close()


def test_every_argument_has_help(run_cli: RunCli) -> None:
    """Each command's positional arguments say what they take (import's WORKBOOK among them)."""
    for name in COMMANDS:
        with root.make_context("storyfacts", [name]) as top:
            found = root.get_command(top, name)
            assert found is not None
            for param in found.params:
                if isinstance(param, click.Argument):
                    assert param.help, (name, param.name)
    _, out, _ = run_cli("import", "--help")
    assert "WORKBOOK  an .xlsx workbook storyfacts exported" in out


def test_top_level_help_has_examples_and_completion(run_cli: RunCli) -> None:
    """`storyfacts --help` lists every command, ends with examples and says how to complete."""
    _, out, _ = run_cli("--help")
    for name, (summary, _, _) in PAGES.items():
        assert f"  {name:<8}  {summary}" in out
    assert "Examples:\n  storyfacts export" in out
    assert "storyfacts COMMAND --help" in out
    assert "_STORYFACTS_COMPLETE=bash_source storyfacts" in out
