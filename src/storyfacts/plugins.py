"""Finding, loading and listing plugins.

Built-in exporters are ordinary plugins: the modules in
:data:`DEFAULT_PLUGINS` are registered through the same guarded path as the
plugins found in the ``storyfacts`` entry-point group. Loading happens on
first use. A plugin that fails to import, has a bad hook, or registers a bad
exporter is recorded in :func:`failures` by name and distribution; the others
keep working. The hook is called through pluggy, so wrapper implementations
and hook-call monitoring work; each implementation is guarded on its own
(:mod:`storyfacts.plugin_calls`), so one plugin's exception does not end the
call for the rest.

Three environment variables control loading:

``STORYFACTS_LOAD_PLUGINS``
    A comma-separated allow-list of entry-point plugins to load; when set
    (even empty), no other third-party plugin is imported.
``STORYFACTS_BLOCK_PLUGINS``
    A comma-separated list of plugin names (entry-point names, or built-in
    module names such as ``storyfacts.exporters.ics``) never to import.
``STORYFACTS_STRICT_PLUGINS``
    When ``1`` (or ``true``, ``yes``, ``on``), any plugin failure is an
    error: :func:`storyfacts.export` raises :class:`~storyfacts.PluginError`
    before writing anything, and the commands exit 1. For CI.
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import os
from collections.abc import Callable, Iterator
from typing import Any

import attrs
import pluggy

from . import hookspecs
from .contract import Exporter
from .entry_points import entry_points
from .errors import PluginError, UnknownFormatError
from .plugin_calls import (
    NOWHERE,
    Origin,
    PluginFailure,
    PluginState,
    call_register_exporters,
    register_object,
)

__all__ = [
    "DEFAULT_PLUGINS",
    "ENTRY_POINT_GROUP",
    "PluginFailure",
    "PluginInfo",
    "blocked",
    "builtin_formats",
    "exporter",
    "exporters",
    "failures",
    "origin",
    "plugin_manager",
    "plugins",
    "register",
    "require_no_failures",
    "reset",
    "standing_in",
    "strict",
    "unregister",
]

ENTRY_POINT_GROUP = "storyfacts"
DEFAULT_PLUGINS = (
    "storyfacts.exporters.json",
    "storyfacts.exporters.csv",
    "storyfacts.exporters.jsonld",
    "storyfacts.exporters.ics",
    "storyfacts.exporters.xlsx",
)
LOAD_ENV = "STORYFACTS_LOAD_PLUGINS"
BLOCK_ENV = "STORYFACTS_BLOCK_PLUGINS"
STRICT_ENV = "STORYFACTS_STRICT_PLUGINS"


@attrs.frozen
class PluginInfo:
    """A loaded plugin: its name, where it comes from, and the hooks it implements."""

    name: str
    hooks: tuple[str, ...]
    distribution: str | None = None
    version: str | None = None
    builtin: bool = False

    def to_dict(self) -> dict[str, Any]:
        return attrs.asdict(self, recurse=False) | {"hooks": list(self.hooks)}


_state: PluginState | None = None


def _names(variable: str) -> list[str] | None:
    value = os.environ.get(variable)
    if value is None:
        return None
    return [name.strip() for name in value.split(",") if name.strip()]


def _load() -> PluginState:
    manager = pluggy.PluginManager("storyfacts")
    manager.add_hookspecs(hookspecs)
    state = PluginState(manager=manager, origins={}, load_failures=[])
    blocked = set(_names(BLOCK_ENV) or [])
    for name in blocked:
        manager.set_blocked(name)
    for module in DEFAULT_PLUGINS:
        if module not in blocked:
            _guarded_register(
                state,
                module,
                functools.partial(importlib.import_module, module),
                _builtin_origin(),
            )
    allowed = _names(LOAD_ENV)
    for entry_point in sorted(
        # Read without importing importlib.metadata (storyfacts.entry_points says why).
        entry_points(ENTRY_POINT_GROUP),
        key=lambda e: e.name,
    ):
        if entry_point.name in blocked or (allowed is not None and entry_point.name not in allowed):
            continue
        dist = entry_point.dist
        _guarded_register(
            state,
            entry_point.name,
            entry_point.load,
            Origin(dist.name, dist.version) if dist else NOWHERE,
        )
    return state


def _builtin_origin() -> Origin:
    """Built-ins come with storyfacts itself: its distribution and version are theirs."""
    from . import __version__

    return Origin("storyfacts", __version__, builtin=True)


def origin(plugin: str) -> tuple[str | None, str | None]:
    """The distribution and version a registered plugin comes from, when known."""
    found = _ensure().origins.get(plugin, NOWHERE)
    return found.distribution, found.version


def _guarded_register(
    state: PluginState, name: str, load: Callable[[], object], origin: Origin
) -> None:
    if state.manager.has_plugin(name) or name in state.origins:
        state.load_failures.append(
            PluginFailure(
                name, "another plugin is already registered under this name", origin.distribution
            )
        )
        return
    try:
        plugin = load()
    except Exception as error:  # any import-time failure is the plugin's, not ours
        state.load_failures.append(
            PluginFailure(
                name, f"failed to import: {type(error).__name__}: {error}", origin.distribution
            )
        )
        return
    try:
        register_object(state, plugin, name)
    except PluginError as error:
        state.load_failures.append(PluginFailure(name, error.reason, origin.distribution))
        return
    state.origins[name] = origin


def _ensure() -> PluginState:
    global _state
    if _state is None:
        _state = _load()
    return _state


def plugin_manager() -> pluggy.PluginManager:
    """The plugin manager, with every plugin loaded (on first call)."""
    return _ensure().manager


def reset() -> None:
    """Forget loaded plugins; the next call loads them again (for tests)."""
    global _state
    _state = None


def register(plugin: object, name: str) -> None:
    """Register a plugin object (a module or any object with hook implementations).

    Raises :class:`~storyfacts.errors.PluginError` when its hooks are bad.
    """
    state = _ensure()
    register_object(state, plugin, name)
    state.origins[name] = NOWHERE
    state.exporters = None


def unregister(name: str) -> None:
    """Remove a plugin registered under ``name``; no error if there is none."""
    state = _ensure()
    if state.manager.has_plugin(name):
        state.manager.unregister(name=name)
    state.origins.pop(name, None)
    state.exporters = None


@contextlib.contextmanager
def standing_in(plugin: object, name: str) -> Iterator[None]:
    """Register ``plugin`` as ``name`` for a ``with`` block, setting aside what was there.

    A plugin that is installed is already registered under its entry point's
    name, and its module object under that name: both are set aside while
    ``plugin`` stands in, and registered again, with their origin, after.
    """
    state = _ensure()
    manager = state.manager
    aside: list[tuple[str, object, Origin]] = []
    for taken in dict.fromkeys([name, manager.get_name(plugin)]):
        existing = manager.get_plugin(taken) if taken else None
        if taken and existing is not None:
            aside.append((taken, existing, state.origins.get(taken, NOWHERE)))
            unregister(taken)
    try:
        register(plugin, name)
        yield
    finally:
        unregister(name)
        for taken, existing, where in aside:
            register_object(state, existing, taken)
            state.origins[taken] = where
        state.exporters = None


def blocked(name: str) -> bool:
    """True when ``name`` is in STORYFACTS_BLOCK_PLUGINS, so it can never be registered."""
    return bool(_ensure().manager.is_blocked(name))


def _collect(state: PluginState) -> dict[str, Exporter]:
    registration = call_register_exporters(state)
    state.exporter_failures = registration.failures
    return _resolve(state, registration.found)


def _resolve(state: PluginState, found: list[Exporter]) -> dict[str, Exporter]:
    """Settle name clashes: built-ins first, then plugins in name order."""

    def rank(item: Exporter) -> tuple[int, str]:
        builtin = state.origins.get(item.plugin, NOWHERE).builtin
        return (0 if builtin else 1, item.plugin)

    chosen: dict[str, Exporter] = {}
    for item in sorted(found, key=rank):
        if item.name in chosen:
            winner = chosen[item.name]
            state.exporter_failures.append(
                PluginFailure(
                    item.plugin,
                    f"exporter {item.name!r} is hidden: plugin {winner.plugin!r} already "
                    "provides that name",
                    state.origins.get(item.plugin, NOWHERE).distribution,
                )
            )
            continue
        chosen[item.name] = item
    return dict(sorted(chosen.items()))


def exporters() -> dict[str, Exporter]:
    """Every usable exporter, by name, in name order."""
    state = _ensure()
    if state.exporters is None:
        state.exporters = _collect(state)
    return state.exporters


def exporter(name: str) -> Exporter:
    """The exporter called ``name``; raises :class:`~storyfacts.errors.UnknownFormatError`."""
    found = exporters()
    if name not in found:
        raise UnknownFormatError(name, list(found))
    return found[name]


def builtin_formats() -> list[str]:
    """Names of the exporters that come with storyfacts itself."""
    state = _ensure()
    return [
        name
        for name, item in exporters().items()
        if state.origins.get(item.plugin, NOWHERE).builtin
    ]


def failures() -> list[PluginFailure]:
    """Plugins that failed to load and exporters that were refused or hidden, and why."""
    state = _ensure()
    exporters()
    return [*state.load_failures, *state.exporter_failures]


def plugins() -> list[PluginInfo]:
    """Every loaded plugin, built-ins first, with its version and hooks."""
    state = _ensure()
    out = []
    for name, origin in state.origins.items():
        plugin = state.manager.get_plugin(name)
        if plugin is None:
            continue
        hooks = tuple(sorted(c.name for c in state.manager.get_hookcallers(plugin) or []))
        out.append(PluginInfo(name, hooks, origin.distribution, origin.version, origin.builtin))
    return sorted(out, key=lambda p: (not p.builtin, p.name))


def strict() -> bool:
    """Whether ``STORYFACTS_STRICT_PLUGINS`` makes every plugin failure an error."""
    return os.environ.get(STRICT_ENV, "").strip().lower() in {"1", "true", "yes", "on"}


def require_no_failures() -> None:
    """Raise :class:`~storyfacts.errors.PluginError` for the first plugin failure, if any.

    Its reason says how many other plugins failed too.
    """
    found = failures()
    if found:
        first = found[0]
        more = f" (and {len(found) - 1} more plugin failures)" if len(found) > 1 else ""
        raise PluginError(first.plugin, first.reason + more, first.distribution)
