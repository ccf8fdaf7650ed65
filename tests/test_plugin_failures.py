"""A plugin's failure is reported by name: an exit from its writer, a failed import, strict mode."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest

import storyfacts
from storyfacts import ExportContext, Exporter, hookimpl
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
