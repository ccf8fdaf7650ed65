"""What problems echo of the data: escaped so a terminal never acts on it, and cut when long."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import storyfacts
from storyfacts.errors import Problem, excerpt, json_path, printable

RunCli = Callable[..., tuple[int, str, str]]  # the run_cli fixture, from conftest.py

FORGERY = "\x1b[2K\r\nbroken.json: valid\x1b[31m"


def _write(tmp_path: Path, data: Any) -> Path:
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_printable_escapes_controls_surrogates_and_format_characters() -> None:
    """ESC, CR, LF, NUL, a lone surrogate and a right-to-left override come out as escapes."""
    assert printable("a\x1bb\r\n\x00\ud800\u202ec") == "a\\x1bb\\r\\n\\x00\\ud800\\u202ec"
    assert printable("Путин 习近平 ok") == "Путин 习近平 ok"


def test_excerpt_cuts_long_text_and_says_so() -> None:
    """Text past 60 characters is cut, marked with an ellipsis and the whole length."""
    assert excerpt("short") == "'short'"
    cut = excerpt("x" * 1_000_000)
    assert cut == "'" + "x" * 60 + "'… (1,000,000 characters)"


def test_json_path_escapes_and_cuts_keys() -> None:
    """A key with controls is escaped in its quotes; a long key is cut, marked after the quote."""
    assert json_path(("a", "b\x1b\n'c")) == "$.a['b\\x1b\\n\\'c']"
    assert json_path(("k" * 100,)) == "$['" + "k" * 60 + "'…]"


def test_problem_text_is_made_printable_whoever_builds_it() -> None:
    """A problem built with raw control characters (say, by a plugin) prints them escaped."""
    problem = Problem("$.a", "bad \x1b[31mred\x1b[0m\nvalid", location="Sheet\x07!A1")
    assert str(problem) == "Sheet\\x07!A1: bad \\x1b[31mred\\x1b[0m\\nvalid"


def test_unknown_key_with_escape_codes_cannot_forge_output(
    tmp_path: Path, seed_data: dict[str, Any], run_cli: RunCli
) -> None:
    """An unknown key holding ESC and a newline is printed escaped, on the problem's own line."""
    seed_data["entities"][0][FORGERY] = 1
    code, out, _ = run_cli("validate", str(_write(tmp_path, seed_data)))
    assert code == 1
    assert "\x1b" not in out and "\r" not in out
    lines = out.splitlines()
    assert lines[0] == f"{tmp_path / 'broken.json'}: 1 problem"
    assert len(lines) == 2
    assert lines[1].startswith("  $.entities[0]['\\x1b[2K\\r\\nbroken.json: valid\\x1b[31m']: ")


@pytest.mark.parametrize("as_json", [False, True])
def test_lone_surrogate_in_a_key_is_a_problem_at_its_path(
    tmp_path: Path, seed_data: dict[str, Any], run_cli: RunCli, as_json: bool
) -> None:
    """A key holding a lone surrogate is named, escaped, with or without --json; no traceback."""
    seed_data["entities"][0]["\ud800x"] = 1
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(seed_data), encoding="ascii")  # json.dumps writes \ud800
    code, out, err = run_cli("validate", *(["--json"] if as_json else []), str(path))
    assert code == 1
    assert err == ""
    problems = (
        json.loads(out)[0]["problems"]
        if as_json
        else [{"path": line.split(": ")[0].strip()} for line in out.splitlines()[1:]]
    )
    assert {p["path"] for p in problems} == {"$.entities[0]['\\ud800x']"}
    bad_text = [p for p in storyfacts.validate(path) if p.code == "bad-text"]
    assert [p.path for p in bad_text] == ["$.entities[0]['\\ud800x']"]
    assert "lone surrogate" in bad_text[0].message


@pytest.mark.parametrize(
    ("place", "value"),
    [
        (("statements", 0, "speaker"), "x" * 1_000_000),
        (("statements", 0, "evidence", 0, "text"), 7),  # a type problem, for contrast
        (("entities", 0, "type"), "y" * 1_000_000),
        (("schema_version",), "z" * 1_000_000),
        (("statements", 0, "evidence", 0, "article"), "a" * 1_000_000),
    ],
)
def test_long_values_are_echoed_as_short_excerpts(
    seed_data: dict[str, Any], place: tuple[str | int, ...], value: Any
) -> None:
    """A megabyte of text in a field gives messages of a few hundred characters at most."""
    target: Any = seed_data
    for part in place[:-1]:
        target = target[part]
    target[place[-1]] = value
    problems = storyfacts.validate(seed_data)
    assert problems
    for problem in problems:
        assert len(str(problem)) < 400, str(problem)[:500]
    if isinstance(value, str):
        assert any("… (1,000,000 characters)" in p.message for p in problems)


def test_a_long_unknown_key_is_cut_in_path_and_message(seed_data: dict[str, Any]) -> None:
    """A megabyte-long unknown key gives a short path and a short message."""
    seed_data["entities"][0]["k" * 1_000_000] = 1
    (problem,) = storyfacts.validate(seed_data)
    assert problem.path == "$.entities[0]['" + "k" * 60 + "'…]"
    assert problem.code == "unknown-field"
    assert len(problem.message) < 200


def test_a_huge_whole_number_is_described_not_written_out(seed_data: dict[str, Any]) -> None:
    """A 10,000-digit integer given as plain data is described by its size, without a traceback."""
    seed_data["statements"][0]["evidence"][0]["text"] = 10**10_000
    problems = storyfacts.validate(seed_data)
    assert [p.message for p in problems if p.path == "$.statements[0].evidence[0].text"] == [
        "A whole number of about 10,001 digits is too large to store; "
        "whole numbers go up to 999,999,999,999,999."
    ]


def test_errors_echo_file_names_and_reasons_escaped(tmp_path: Path, run_cli: RunCli) -> None:
    """A file name holding ESC and a newline is echoed escaped in an input error."""
    name = tmp_path / "evil\x1b[2J\nstoryfacts: valid.json"
    code, out, err = run_cli("validate", str(name))
    assert (code, out) == (2, "")
    assert "\x1b" not in err
    assert err.count("\n") == 1
    assert "evil\\x1b[2J\\nstoryfacts: valid.json: no such file" in err


def test_export_error_keeps_its_lines_but_escapes_the_rest() -> None:
    """An export error's reason keeps line feeds (it may list problems) and escapes ESC."""
    error = storyfacts.ExportError("csv", "out\x07", "first\nsecond \x1b[1m")
    assert str(error) == (
        "Export to csv at out\\x07 failed, and nothing was written: first\nsecond \\x1b[1m"
    )
    assert error.reason == "first\nsecond \x1b[1m"


def test_a_problem_message_that_echoes_a_whole_value_is_cut() -> None:
    """Whoever builds a problem, its message is cut at 1,000 characters, and says so."""
    problem = Problem("$.a", "Bad value: " + "v" * 1_000_000)
    assert len(problem.message) < 1_100
    assert problem.message.endswith("… (message cut from 1,000,011 characters)")


def test_a_file_name_with_escape_codes_is_echoed_escaped(
    tmp_path: Path, seed_data: dict[str, Any], run_cli: RunCli
) -> None:
    """`validate` names the file escaped: its name cannot drive the terminal or forge a line."""
    name = "x\x1b[2K\rseed.json: valid\n.json"
    valid = tmp_path / name
    valid.write_text(json.dumps(seed_data), encoding="utf-8")
    seed_data["entities"][0]["nope"] = 1
    broken = tmp_path / f"b{name}"
    broken.write_text(json.dumps(seed_data), encoding="utf-8")
    code, out, _ = run_cli("validate", str(valid), str(broken))
    assert code == 1
    assert "\x1b" not in out and "\r" not in out
    lines = out.splitlines()
    assert lines[0] == printable(str(valid)) + ": valid"
    assert lines[1] == printable(str(broken)) + ": 1 problem"
    assert lines[1].endswith("bx\\x1b[2K\\rseed.json: valid\\n.json: 1 problem")
    assert len(lines) == 3
