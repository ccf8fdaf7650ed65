"""`storyfacts export` and the export API: defaults, outputs, refusals, progress."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import storyfacts
from storyfacts import plugins
from storyfacts.progress import progress_reporter

RunCli = Callable[..., tuple[int, str, str]]  # the run_cli fixture, from conftest.py


def test_export_with_no_arguments_writes_every_builtin_format(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bundled dataset goes to ./storyfacts-out in every built-in format."""
    monkeypatch.chdir(tmp_path)
    code, out, err = run_cli("export")
    assert code == 0, err
    written = sorted(Path(line).name for line in out.splitlines())
    expected = sorted(
        storyfacts.output_name(storyfacts.load_bundled(), plugins.exporter(name))
        for name in plugins.builtin_formats()
    )
    assert written == expected
    assert sorted(p.name for p in (tmp_path / "storyfacts-out").iterdir()) == expected


def test_export_one_format_to_a_file(run_cli: RunCli, tmp_path: Path) -> None:
    """With one format, -o names the file, and the JSON export loads back the same."""
    target = tmp_path / "copy.json"
    code, out, _ = run_cli("export", "-f", "json", "-o", str(target))
    assert code == 0
    assert out.strip() == str(target)
    assert storyfacts.load(target) == storyfacts.load_bundled()
    assert target.read_text(encoding="utf-8") == storyfacts.bundled_path().read_text(
        encoding="utf-8"
    )


def test_invalid_dataset_writes_nothing(
    run_cli: RunCli, tmp_path: Path, seed_data: dict[str, Any]
) -> None:
    """An invalid dataset exits 1, lists its problems, and leaves the output untouched."""
    seed_data["entities"][0]["name"] = ""
    source = tmp_path / "bad.json"
    source.write_text(json.dumps(seed_data), encoding="utf-8")
    target = tmp_path / "out.json"
    target.write_text("keep me")
    code, _, err = run_cli("export", str(source), "-f", "json", "-o", str(target))
    assert code == 1
    assert "$.entities[0].name" in err
    assert target.read_text() == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.json", "out.json"]


def test_unknown_format_is_a_usage_error(run_cli: RunCli, tmp_path: Path) -> None:
    """An unknown -f exits 2, names the known formats, and writes nothing."""
    code, _, err = run_cli("export", "-f", "json,nope", "-o", str(tmp_path / "x"))
    assert code == 2
    assert "No exporter is called 'nope'" in err
    assert "json" in err
    assert list(tmp_path.iterdir()) == []


def test_bad_option_syntax_is_a_usage_error(run_cli: RunCli, tmp_path: Path) -> None:
    """-O without KEY=VALUE exits 2."""
    code, _, err = run_cli("export", "-f", "json", "-O", "novalue", "-o", str(tmp_path / "x.json"))
    assert code == 2
    assert "KEY=VALUE" in err


def test_quiet_when_not_a_terminal(run_cli: RunCli, tmp_path: Path) -> None:
    """Piped output gets no progress bar; --quiet prints nothing at all."""
    code, out, err = run_cli("export", "-q", "-f", "json", "-o", str(tmp_path / "a.json"))
    assert (code, out, err) == (0, "", "")


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_on_a_terminal_shows_counts_and_rate() -> None:
    """On a terminal the bar shows done/total and a rate, and ends with a newline."""
    stream = _Terminal()
    with progress_reporter("json", stream=stream, interval=0) as progress:
        progress(5, 10)
        progress(10, 10)
    text = stream.getvalue()
    assert "10/10 records" in text
    assert "/s" in text
    assert text.endswith("\n")


def test_progress_reporter_is_silent_when_quiet() -> None:
    """quiet=True draws nothing even on a terminal."""
    stream = _Terminal()
    with progress_reporter("json", stream=stream, quiet=True) as progress:
        progress(1, 1)
    assert stream.getvalue() == ""


def test_api_progress_callback_reaches_the_total(tmp_path: Path) -> None:
    """storyfacts.export reports progress up to the dataset's record count."""
    seen: list[tuple[int, int]] = []
    storyfacts.export(None, "json", tmp_path / "a.json", progress=lambda d, t: seen.append((d, t)))
    dataset = storyfacts.load_bundled()
    total = sum(
        len(x) for x in (dataset.articles, dataset.entities, dataset.statements, dataset.sources)
    )
    assert seen[-1] == (total, total)


def test_an_option_no_selected_format_has_is_a_usage_error(run_cli: RunCli, tmp_path: Path) -> None:
    """-O colour=red for csv and json exits 2 listing the options that exist."""
    code, _, err = run_cli("export", "-f", "csv,json", "-O", "colour=red", "-o", str(tmp_path))
    assert code == 2
    assert "no selected format has an option 'colour'" in err
    assert "csv: bom, formulas" in err
    assert list(tmp_path.iterdir()) == []


def test_options_go_only_to_the_formats_that_declare_them(run_cli: RunCli, tmp_path: Path) -> None:
    """-O formulas=keep with csv and json reaches csv, and json is not bothered by it."""
    code, _, err = run_cli(
        "export", "-q", "-f", "csv,json", "-O", "formulas=keep", "-o", str(tmp_path)
    )
    assert code == 0, err
    package = json.loads((tmp_path / "putin-xi-olympics-2023-csv" / "datapackage.json").read_text())
    assert package["storyfacts:formulas"] == "kept"
    assert (tmp_path / "putin-xi-olympics-2023.json").exists()


def test_a_bad_option_value_is_a_usage_error(run_cli: RunCli, tmp_path: Path) -> None:
    """-O formulas=maybe exits 2 naming the allowed values, and writes nothing."""
    code, _, err = run_cli(
        "export", "-f", "csv", "-O", "formulas=maybe", "-o", str(tmp_path / "out")
    )
    assert code == 2
    assert "formulas=neutralise|keep" in err
    assert list(tmp_path.iterdir()) == []


def test_export_validates_a_dataset_object(bundled: storyfacts.Dataset, tmp_path: Path) -> None:
    """A Dataset edited in Python into an invalid state is refused before writing."""
    bundled.entities[0].name = ""
    with pytest.raises(storyfacts.InvalidDatasetError) as caught:
        storyfacts.export(bundled, "json", tmp_path / "x.json")
    assert [p.path for p in caught.value.problems] == ["$.entities[0].name"]
    assert list(tmp_path.iterdir()) == []
