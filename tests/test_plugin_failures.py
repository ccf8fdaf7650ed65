"""A plugin's failure is reported by name: an exit from its writer, a failed import, strict mode."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import storyfacts
from storyfacts import ExportContext, Exporter, hookimpl, plugins
from storyfacts.model import Dataset

RunCli = Callable[..., tuple[int, str, str]]  # the run_cli fixture, from conftest.py
RegisterPlugin = Callable[[object, str], None]


class _Provides:
    """A plugin that registers one exporter writing with ``write``."""

    def __init__(self, name: str, write: Callable[[Dataset, Path, ExportContext], None]) -> None:
        self.exporter = Exporter(
            name=name,
            extension=".txt",
            media_type="text/plain",
            description="A test exporter.",
            write=write,
        )

    @hookimpl
    def register_exporters(self, register: Callable[[Exporter], None]) -> None:
        register(self.exporter)


class _Abort(BaseException):
    """Not an Exception: what a careless plugin might raise to stop."""


def _exit_zero(dataset: Dataset, path: Path, context: ExportContext) -> None:
    path.write_text("half")
    sys.exit(0)


def _raise_base(dataset: Dataset, path: Path, context: ExportContext) -> None:
    raise _Abort("stop everything")


def _interrupt(dataset: Dataset, path: Path, context: ExportContext) -> None:
    path.write_text("half")
    raise KeyboardInterrupt


def test_sys_exit_in_a_writer_is_that_plugins_failure(
    run_cli: RunCli, register_plugin: RegisterPlugin, tmp_path: Path
) -> None:
    """sys.exit(0) in a writer does not end the export with 0 and nothing written."""
    register_plugin(_Provides("quitter", _exit_zero), "quitting-plugin")
    target = tmp_path / "out.txt"
    target.write_text("old")
    code, out, err = run_cli("export", "-f", "quitter", "-o", str(target))
    assert code == 1
    assert out == ""
    assert "the exporter called sys.exit(0)" in err
    assert "plugin 'quitting-plugin'" in err
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]


def test_other_formats_still_export_after_a_plugin_exits(
    run_cli: RunCli, register_plugin: RegisterPlugin, tmp_path: Path
) -> None:
    """A plugin's exit ends only its own export; the next format is still written."""
    register_plugin(_Provides("quitter", _exit_zero), "quitting-plugin")
    code, out, err = run_cli("export", "-f", "quitter,json", "-o", str(tmp_path))
    assert code == 1
    assert "sys.exit(0)" in err
    assert [Path(line).suffix for line in out.splitlines()] == [".json"]


def test_any_base_exception_from_a_writer_is_an_export_error(
    register_plugin: RegisterPlugin, tmp_path: Path
) -> None:
    """The API raises ExportError naming the plugin, whatever the writer raised."""
    register_plugin(_Provides("aborter", _raise_base), "aborting-plugin")
    with pytest.raises(storyfacts.ExportError, match=r"_Abort: stop everything .*aborting-plugin"):
        storyfacts.export(None, "aborter", tmp_path / "out.txt")
    assert list(tmp_path.iterdir()) == []


def test_ctrl_c_in_a_writer_still_interrupts(
    run_cli: RunCli, register_plugin: RegisterPlugin, tmp_path: Path
) -> None:
    """KeyboardInterrupt is the user's, not the plugin's: the command stops with 130."""
    register_plugin(_Provides("slow", _interrupt), "slow-plugin")
    code, _, err = run_cli("export", "-f", "slow,json", "-o", str(tmp_path))
    assert code == 130
    assert "interrupted" in err
    assert list(tmp_path.iterdir()) == []


@pytest.fixture
def broken_plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """An installed plugin, 'broken-probe', whose module fails to import."""
    folder = tmp_path / "site-packages"
    folder.mkdir()
    (folder / "storyfacts_broken_probe.py").write_text("import storyfacts_no_such_module\n")
    info = folder / "storyfacts_broken_probe-0.0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: storyfacts-broken-probe\nVersion: 0.0.1\n"
    )
    (info / "entry_points.txt").write_text("[storyfacts]\nbroken-probe = storyfacts_broken_probe\n")
    monkeypatch.syspath_prepend(str(folder))
    monkeypatch.delenv(plugins.STRICT_ENV, raising=False)
    plugins.reset()
    try:
        yield "broken-probe"
    finally:
        monkeypatch.undo()
        plugins.reset()


def test_export_warns_on_one_line_about_a_plugin_that_failed_to_import(
    run_cli: RunCli, broken_plugin: str, tmp_path: Path
) -> None:
    """The export still happens, and standard error names the broken plugin once."""
    code, out, err = run_cli("export", "-q", "-f", "json", "-o", str(tmp_path / "out.json"))
    assert code == 0
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("storyfacts: warning: Plugin 'broken-probe'")
    assert "(from storyfacts-broken-probe): failed to import: ModuleNotFoundError" in lines[0]
    assert (tmp_path / "out.json").exists()


def test_strict_option_exports_nothing_when_a_plugin_failed(
    run_cli: RunCli, broken_plugin: str, tmp_path: Path
) -> None:
    """--strict-plugins turns the warning into an error: exit 1, nothing written."""
    code, _, err = run_cli(
        "export", "--strict-plugins", "-f", "json", "-o", str(tmp_path / "out.json")
    )
    assert code == 1
    assert "storyfacts: error: Plugin 'broken-probe'" in err
    assert "nothing was exported" in err
    assert list(tmp_path.iterdir()) == [tmp_path / "site-packages"]


def test_strict_environment_variable_fails_the_api_and_every_command(
    run_cli: RunCli, broken_plugin: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """STORYFACTS_STRICT_PLUGINS=1: export raises PluginError; export, formats, plugins exit 1."""
    monkeypatch.setenv(plugins.STRICT_ENV, "1")
    with pytest.raises(storyfacts.PluginError, match="broken-probe"):
        storyfacts.export(None, "json", tmp_path / "api.json")
    assert run_cli("export", "-f", "json", "-o", str(tmp_path / "cli.json"))[0] == 1
    assert run_cli("formats")[0] == 1
    assert run_cli("formats", "--json")[0] == 1
    assert run_cli("plugins", "--json")[0] == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site-packages"]


def test_strict_mode_changes_nothing_when_every_plugin_loads(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With no failure, strict mode exports as usual and prints no warning."""
    monkeypatch.setenv(plugins.STRICT_ENV, "1")
    assert plugins.failures() == []
    code, _, err = run_cli("export", "-q", "-f", "json", "-o", str(tmp_path / "out.json"))
    assert (code, err) == (0, "")
    assert run_cli("plugins")[0] == 0
