"""Conformance kit: checks needing a failed write are skipped; installed plugins are checked."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import storyfacts
from storyfacts import ExportContext, Exporter, hookimpl, plugins
from storyfacts.model import Dataset
from storyfacts.testing import ConformanceError, check_exporter


def write_names(dataset: Dataset, path: Path, context: ExportContext) -> None:
    path.write_text("".join(f"{e.name}\n" for e in dataset.entities), encoding="utf-8")
    context.advance(len(dataset.entities))


def write_nothing_ever(dataset: Dataset, path: Path, context: ExportContext) -> None:
    raise RuntimeError("the disk format is not finished")


def names_exporter(write: Callable[[Dataset, Path, ExportContext], None]) -> Exporter:
    return Exporter(
        name="names",
        extension=".txt",
        media_type="text/plain",
        description="Entity names, one a line.",
        write=write,
    )


class NamesPlugin:
    """A plugin with one exporter, as an installed package's module would be."""

    @hookimpl
    def register_exporters(self, register: Callable[[Exporter], None]) -> None:
        register(names_exporter(write_names))


@pytest.fixture
def fresh_plugins() -> Iterator[None]:
    """Plugins are loaded afresh for the test, and again after it, whatever it changed."""
    plugins.reset()
    try:
        yield
    finally:
        plugins.reset()


def test_checks_that_need_the_output_are_skipped_when_writing_fails(tmp_path: Path) -> None:
    """A writer that always fails fails the write checks; the ones reading output are skipped."""
    with pytest.raises(ConformanceError) as caught:
        check_exporter(names_exporter(write_nothing_ever), directory=tmp_path)
    outcomes = {c.name: c.outcome for c in caught.value.report.checks}
    assert outcomes == {
        "is listed by storyfacts formats": "passed",
        "declares a fitting extension and media type": "passed",
        "writes the bundled dataset": "failed",
        "writes a generated dataset": "failed",
        "writes empty datasets": "failed",
        "writes the same bytes every time": "skipped",
        "writes text as UTF-8": "skipped",
        "keeps Latin, Cyrillic and Chinese text": "skipped",
        "leaves nothing behind when it fails half-way": "skipped",
        "reports progress within the total": "skipped",
        "writes every field it does not declare omitted": "skipped",
    }
    skipped = [c for c in caught.value.report.checks if c.outcome == "skipped"]
    assert all("failed, so this was not checked" in c.detail for c in skipped)
    assert "failed 3 of 11" in str(caught.value)


def test_an_installed_plugin_is_checked_under_its_own_name(
    fresh_plugins: None, tmp_path: Path
) -> None:
    """check_exporter(module, plugin_name=...) works when that plugin is already registered."""
    installed = NamesPlugin()
    plugins.register(installed, "names-plugin")  # as its entry point would
    report = check_exporter(installed, plugin_name="names-plugin", directory=tmp_path)
    assert [c.outcome for c in report.checks] == ["passed"] * 10 + ["skipped"]
    # Afterwards the installed plugin is back, exporting as before.
    assert plugins.exporter("names").plugin == "names-plugin"
    assert not plugins.failures()


def test_a_working_copy_stands_in_for_the_installed_plugin(
    fresh_plugins: None, tmp_path: Path
) -> None:
    """Another object under the installed plugin's name is the one checked, then put back."""

    class Broken:
        @hookimpl
        def register_exporters(self, register: Callable[[Exporter], None]) -> None:
            register(names_exporter(write_nothing_ever))

    installed = NamesPlugin()
    plugins.register(installed, "names-plugin")
    with pytest.raises(ConformanceError, match="writes the bundled dataset"):
        check_exporter(Broken(), plugin_name="names-plugin", directory=tmp_path)
    assert plugins.plugin_manager().get_plugin("names-plugin") is installed
    assert storyfacts.export(None, "names", tmp_path / "after.txt").exists()


def test_a_blocked_plugin_is_named_as_blocked(
    fresh_plugins: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the plugin blocked the kit says so, not that it registered no exporter."""
    monkeypatch.setenv("STORYFACTS_BLOCK_PLUGINS", "names-plugin")
    plugins.reset()
    with pytest.raises(ConformanceError) as caught:
        check_exporter(NamesPlugin(), plugin_name="names-plugin")
    message = str(caught.value)
    assert "is blocked by STORYFACTS_BLOCK_PLUGINS" in message
    assert "registered no exporter" not in message
