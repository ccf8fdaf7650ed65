"""Registering a plugin for the length of a ``with`` block, so tests do not leak plugins."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

from .. import plugins
from ..contract import Exporter
from ..hookspecs import hookimpl

__all__ = ["registered"]


class _ExporterPlugin:
    """A plugin that registers one ready-made exporter."""

    def __init__(self, exporter: Exporter) -> None:
        self.exporter = exporter

    @hookimpl
    def register_exporters(self, register: Callable[[Exporter], None]) -> None:
        register(self.exporter)


@contextlib.contextmanager
def registered(plugin: object, name: str) -> Iterator[None]:
    """Register ``plugin`` under ``name`` inside a ``with`` block, and unregister it after.

    ``plugin`` is a module or object with ``@hookimpl`` functions, or a single
    :class:`~storyfacts.Exporter`. The plugin is unregistered even when the
    block raises, so one test cannot leak plugins into the next::

        with registered(my_plugin, "my-plugin"):
            storyfacts.export(None, "my-format", tmp_path / "out.txt")

    A plugin already registered under ``name`` (an installed one, say: the
    package under test after ``pip install -e .``) is set aside for the block
    and restored after, so the module being checked is the one that runs.

    Raises :class:`~storyfacts.PluginError` when the plugin's hooks are bad.
    """
    if isinstance(plugin, Exporter):
        plugin = _ExporterPlugin(plugin)
    with plugins.standing_in(plugin, name):
        yield
