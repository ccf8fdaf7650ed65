"""Every hook a storyfacts plugin can implement. This module is their reference.

A plugin is a module (or any object) with functions marked ``@hookimpl``::

    from storyfacts import hookimpl, Exporter

    @hookimpl
    def register_exporters(register):
        register(Exporter(name="md", extension=".md", media_type="text/markdown",
                          description="A Markdown fact sheet.", write=write_markdown))
"""

from __future__ import annotations

from collections.abc import Callable

import pluggy

from .contract import Exporter

__all__ = ["hookimpl", "hookspec"]

hookspec = pluggy.HookspecMarker("storyfacts")
hookimpl = pluggy.HookimplMarker("storyfacts")


@hookspec
def register_exporters(register: Callable[[Exporter], None]) -> None:
    """Register the exporters this plugin provides.

    Call ``register`` once for each :class:`storyfacts.Exporter`. storyfacts
    checks each one (its name, extension, media type and description) and
    reports a bad one by your plugin's name, keeping the rest. When two
    plugins register the same name, the built-in exporter wins, then the
    plugin whose name sorts first; the other is reported as hidden.

    :param register: call it with an :class:`~storyfacts.Exporter`; it returns nothing.
    """
