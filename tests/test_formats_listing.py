"""`storyfacts formats` fits 80 columns and shows options; built-ins say where they come from."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

import storyfacts
from storyfacts import Exporter, hookimpl, plugins
from storyfacts.listing import format_table

RunCli = Callable[..., tuple[int, str, str]]  # the run_cli fixture, from conftest.py


class Wordy:
    """A plugin whose exporter has a long description and a long option help."""

    @hookimpl
    def register_exporters(self, register: Callable[[Exporter], None]) -> None:
        register(
            Exporter(
                name="wordy-format-with-a-long-name",
                extension=".wordy-extension",
                media_type="application/vnd.example.wordy+json",
                description="An exporter whose description goes on " * 8,
                write=lambda dataset, path, context: None,
                options={"verbosity": "how much to say about every record " * 5},
            )
        )


@pytest.mark.parametrize("flag", [[], ["--long"]])
def test_the_table_fits_80_columns(run_cli: RunCli, flag: list[str]) -> None:
    """Every line of `formats` and `formats --long` is at most 80 columns when piped."""
    code, out, _ = run_cli("formats", *flag)
    assert code == 0
    assert max(len(line) for line in out.splitlines()) <= 80
    assert out.splitlines()[0].split() == ["NAME", "EXTENSION", "DESCRIPTION"]


def test_a_wordy_plugin_still_fits(register_plugin: Callable[[object, str], None]) -> None:
    """A long name, description and option help are wrapped, not run past the width."""
    register_plugin(Wordy(), "wordy")
    text = format_table(list(plugins.exporters().values()), width=80, long=True)
    assert max(len(line) for line in text.splitlines()) <= 80
    assert "wordy-format-with-a-long-name" in text
    assert "-O verbosity:" in text
    assert "application/vnd.example.wordy+json" in text


def test_each_exporters_options_are_shown(run_cli: RunCli) -> None:
    """csv's formulas and bom options appear, each with the start of its help."""
    _, out, _ = run_cli("formats")
    assert "-O formulas: neutralise (default)" in out
    assert "-O bom: true starts each CSV" in out


def test_long_adds_media_type_and_plugin(run_cli: RunCli) -> None:
    """--long shows the media type and the plugin with its distribution and version."""
    _, short, _ = run_cli("formats")
    _, long, _ = run_cli("formats", "--long")
    assert "text/calendar" not in short
    assert "media type: text/calendar" in long
    assert f"plugin: storyfacts.exporters.ics (storyfacts {storyfacts.__version__})" in long


def test_plugins_json_gives_builtins_their_distribution(run_cli: RunCli) -> None:
    """Built-in plugins come from storyfacts itself, at its version, not null."""
    _, out, _ = run_cli("plugins", "--json")
    builtins = [p for p in json.loads(out)["plugins"] if p["builtin"]]
    assert builtins
    assert {(p["distribution"], p["version"]) for p in builtins} == {
        ("storyfacts", storyfacts.__version__)
    }


def test_a_registered_plugin_has_no_distribution(
    register_plugin: Callable[[object, str], None], run_cli: RunCli
) -> None:
    """A plugin registered in code has no distribution to name: null, as before."""
    register_plugin(Wordy(), "wordy")
    _, out, _ = run_cli("formats", "--json")
    row = next(r for r in json.loads(out) if r["plugin"] == "wordy")
    assert (row["distribution"], row["version"]) == (None, None)
