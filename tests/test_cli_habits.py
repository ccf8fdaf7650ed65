"""The command line meets habits: help when bare, "did you mean", paths that say what they mean."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from storyfacts import __version__

RunCli = Callable[..., tuple[int, str, str]]  # the run_cli fixture, from conftest.py


@pytest.fixture
def in_tmp(tmp_path: Path) -> Iterator[Path]:
    """Run the test in an empty directory, where the default storyfacts-out/ would go."""
    before = Path.cwd()
    os.chdir(tmp_path)
    try:
        yield tmp_path
    finally:
        os.chdir(before)


def test_bare_prints_the_help(run_cli: RunCli) -> None:
    """`storyfacts` alone prints the whole help, commands included, and exits 2."""
    code, out, err = run_cli()
    assert code == 2
    assert "the following arguments are required" not in err
    assert "Usage: storyfacts" in err
    assert "export" in err and "validate" in err and "formats" in err
    assert out == ""


@pytest.mark.parametrize("flag", ["-V", "--version"])
def test_short_and_long_version(run_cli: RunCli, flag: str) -> None:
    """-V and --version print the version and exit 0."""
    code, out, _ = run_cli(flag)
    assert code == 0
    assert out.strip() == f"storyfacts {__version__}"


def test_a_mistyped_command_gets_a_suggestion(run_cli: RunCli) -> None:
    """`storyfacts exprot` suggests export, lists the commands and exits 2."""
    code, _, err = run_cli("exprot")
    assert code == 2
    assert "unknown command 'exprot' (did you mean 'export'?)" in err
    assert err.startswith("Usage: storyfacts [OPTIONS] COMMAND")
    assert "validate" in err


def test_an_unlike_command_gets_no_suggestion(run_cli: RunCli) -> None:
    """A word like no command is refused without a wrong guess."""
    code, _, err = run_cli("zzzz")
    assert code == 2
    assert "unknown command 'zzzz'" in err
    assert "did you mean" not in err


def test_a_mistyped_option_gets_the_commands_usage_and_a_suggestion(run_cli: RunCli) -> None:
    """`export --fromat` prints export's usage (not the top level's) and suggests --format."""
    code, _, err = run_cli("export", "--fromat", "csv")
    assert code == 2
    assert err.startswith("Usage: storyfacts export ")
    assert "Error: No such option '--fromat'. Did you mean '--format'?" in err


def test_a_mistyped_format_gets_a_suggestion(run_cli: RunCli, in_tmp: Path) -> None:
    """-f xslx suggests xlsx, exits 2 and writes nothing."""
    code, _, err = run_cli("export", "-f", "xslx")
    assert code == 2
    assert "No exporter is called 'xslx' (did you mean 'xlsx'?)" in err
    assert list(in_tmp.iterdir()) == []


def test_format_names_are_case_insensitive(run_cli: RunCli, in_tmp: Path) -> None:
    """-f JSON is json."""
    code, out, _ = run_cli("export", "-f", "JSON", "-o", "story.json")
    assert code == 0
    assert out.strip() == "story.json"
    assert (in_tmp / "story.json").read_text(encoding="utf-8").startswith("{")


def test_a_bad_option_value_leaves_no_default_directory(run_cli: RunCli, in_tmp: Path) -> None:
    """-O formulas=kep with no -o leaves no empty storyfacts-out/ behind."""
    code, _, err = run_cli("export", "-f", "csv", "-O", "formulas=kep")
    assert code == 2
    assert "formulas=neutralise|keep" in err
    assert list(in_tmp.iterdir()) == []


def test_a_bad_option_value_leaves_no_parent_directories(run_cli: RunCli, in_tmp: Path) -> None:
    """The missing parents of -o are removed again when nothing was written into them."""
    code, _, _ = run_cli("export", "-f", "csv", "-O", "formulas=kep", "-o", "a/b/tables")
    assert code == 2
    assert list(in_tmp.iterdir()) == []


def test_an_existing_output_directory_is_kept_after_a_usage_error(
    run_cli: RunCli, in_tmp: Path
) -> None:
    """Only what the export created is removed: an empty directory that was there stays."""
    (in_tmp / "storyfacts-out").mkdir()
    code, _, _ = run_cli("export", "-f", "csv", "-O", "formulas=kep")
    assert code == 2
    assert [p.name for p in in_tmp.iterdir()] == ["storyfacts-out"]


def test_an_extension_that_does_not_match_the_format(run_cli: RunCli, in_tmp: Path) -> None:
    """-f json -o out.xlsx is refused, suggesting -f xlsx or out.json, before writing anything."""
    code, _, err = run_cli("export", "-f", "json", "-o", "out.xlsx")
    assert code == 2
    assert "(did you mean -f xlsx, or -o out.json?)" in err
    assert list(in_tmp.iterdir()) == []


def test_an_unknown_extension_gets_the_right_one(run_cli: RunCli, in_tmp: Path) -> None:
    """-f ics -o dates.txt suggests dates.ics."""
    code, _, err = run_cli("export", "-f", "ics", "-o", "dates.txt")
    assert code == 2
    assert "(did you mean -o dates.ics?)" in err
    assert list(in_tmp.iterdir()) == []


def test_extensions_are_compared_without_case(run_cli: RunCli, in_tmp: Path) -> None:
    """-f json -o STORY.JSON is fine, and so is a name with no extension."""
    assert run_cli("export", "-f", "json", "-o", "STORY.JSON", "-q")[0] == 0
    assert run_cli("export", "-f", "json", "-o", "story", "-q")[0] == 0
    assert sorted(p.name for p in in_tmp.iterdir()) == ["STORY.JSON", "story"]


def test_a_directory_format_named_like_a_file(run_cli: RunCli, in_tmp: Path) -> None:
    """-f csv -o tables.json is refused: csv writes a directory, the name says JSON."""
    code, _, err = run_cli("export", "-f", "csv", "-o", "tables.json")
    assert code == 2
    assert "csv writes a directory" in err
    assert list(in_tmp.iterdir()) == []


def test_several_formats_into_a_file_name(run_cli: RunCli, in_tmp: Path) -> None:
    """-f json,csv -o one.json is refused instead of making a directory called one.json."""
    code, _, err = run_cli("export", "-f", "json,csv", "-o", "one.json")
    assert code == 2
    assert "several formats (json, csv)" in err
    assert "-o one/" in err
    assert list(in_tmp.iterdir()) == []


def test_several_formats_into_an_existing_file(run_cli: RunCli, in_tmp: Path) -> None:
    """An existing file is neither replaced nor written into when several formats are asked for."""
    (in_tmp / "notes").write_text("keep me", encoding="utf-8")
    code, _, err = run_cli("export", "-f", "json,ics", "-o", "notes")
    assert code == 2
    assert "notes is not a directory" in err
    assert (in_tmp / "notes").read_text(encoding="utf-8") == "keep me"


def test_several_formats_into_a_device(run_cli: RunCli) -> None:
    """-o /dev/null takes one format, not several."""
    code, _, err = run_cli("export", "-f", "json,ics", "-o", os.devnull)
    assert code == 2
    assert f"{os.devnull} is not a directory" in err


def test_a_trailing_slash_means_into_this_directory(run_cli: RunCli, in_tmp: Path) -> None:
    """-f json -o out/ writes out/<dataset id>.json, as several formats would."""
    code, out, _ = run_cli("export", "-f", "json", "-o", "out/")
    assert code == 0
    assert [p.name for p in (in_tmp / "out").iterdir()] == ["putin-xi-olympics-2023.json"]
    assert out.strip() == "out/putin-xi-olympics-2023.json"


def test_several_formats_into_a_new_directory_name(run_cli: RunCli, in_tmp: Path) -> None:
    """A name without a format's extension is a directory to create."""
    code, _, _ = run_cli("export", "-f", "json,ics", "-o", "exports.v2", "-q")
    assert code == 0
    assert sorted(p.name for p in (in_tmp / "exports.v2").iterdir()) == [
        "putin-xi-olympics-2023.ics",
        "putin-xi-olympics-2023.json",
    ]


def test_ctrl_c_while_click_parses_is_one_sentence(
    run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C before any command runs (click at work) exits 130 without a traceback."""
    from storyfacts.cli.group import root

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(root, "make_context", interrupted)
    code, out, err = run_cli("formats")
    assert code == 130
    assert out == ""
    assert err.strip() == "storyfacts: interrupted; nothing partial was left behind."
