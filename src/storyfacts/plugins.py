"""Finding, loading and listing plugins.

Built-in exporters are ordinary plugins: the modules in
:data:`DEFAULT_PLUGINS` are registered through the same guarded path as the
plugins found in the ``storyfacts`` entry-point group. Loading happens on
first use. A plugin that fails to import, has a bad hook, or registers a bad
exporter is recorded in :func:`failures` by name and distribution; the others
keep working.

Two environment variables control loading:

``STORYFACTS_LOAD_PLUGINS``
    A comma-separated allow-list of entry-point plugins to load; when set
    (even empty), no other third-party plugin is imported.
``STORYFACTS_BLOCK_PLUGINS``
    A comma-separated list of plugin names (entry-point names, or built-in
    module names such as ``storyfacts.exporters.ics``) never to import.
"""

from __future__ import annotations

import functools
import importlib
import importlib.metadata
import os
from collections.abc import Callable
from typing import Any

import attrs
import pluggy

from . import hookspecs
from .errors import PluginError, UnknownFormatError
from .exporting import Exporter

__all__ = [
    "DEFAULT_PLUGINS",
    "ENTRY_POINT_GROUP",
    "PluginFailure",
    "PluginInfo",
    "builtin_formats",
    "exporter",
    "exporters",
    "failures",
    "plugin_manager",
    "plugins",
    "register",
    "reset",
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


@attrs.frozen
class PluginFailure:
    """A plugin, or one thing it registered, that could not be used, and why."""

    plugin: str
    reason: str
    distribution: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return attrs.asdict(self)

    def __str__(self) -> str:
        return str(PluginError(self.plugin, self.reason, self.distribution))


@attrs.define
class _State:
    manager: pluggy.PluginManager
    origins: dict[str, tuple[str | None, str | None, bool]]
    load_failures: list[PluginFailure]
    exporters: dict[str, Exporter] | None = None
    exporter_failures: list[PluginFailure] = attrs.field(factory=list)


_state: _State | None = None


def _names(variable: str) -> list[str] | None:
    value = os.environ.get(variable)
    if value is None:
        return None
    return [name.strip() for name in value.split(",") if name.strip()]


def _load() -> _State:
    manager = pluggy.PluginManager("storyfacts")
    manager.add_hookspecs(hookspecs)
    state = _State(manager=manager, origins={}, load_failures=[])
    blocked = set(_names(BLOCK_ENV) or [])
    for name in blocked:
        manager.set_blocked(name)
    for module in DEFAULT_PLUGINS:
        if module not in blocked:
            _guarded_register(
                state,
                module,
                functools.partial(importlib.import_module, module),
                None,
                None,
                builtin=True,
            )
    allowed = _names(LOAD_ENV)
    for entry_point in sorted(
        importlib.metadata.entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name
    ):
        if entry_point.name in blocked or (allowed is not None and entry_point.name not in allowed):
            continue
        dist = entry_point.dist
        _guarded_register(
            state,
            entry_point.name,
            entry_point.load,
            dist.name if dist else None,
            dist.version if dist else None,
        )
    return state


def _guarded_register(
    state: _State,
    name: str,
    load: Callable[[], object],
    distribution: str | None,
    version: str | None,
    *,
    builtin: bool = False,
) -> None:
    if state.manager.has_plugin(name) or name in state.origins:
        state.load_failures.append(
            PluginFailure(
                name, "another plugin is already registered under this name", distribution
            )
        )
        return
    try:
        plugin = load()
    except Exception as error:  # any import-time failure is the plugin's, not ours
        state.load_failures.append(
            PluginFailure(name, f"failed to import: {type(error).__name__}: {error}", distribution)
        )
        return
    try:
        _register_object(state.manager, plugin, name)
    except PluginError as error:
        state.load_failures.append(PluginFailure(name, error.reason, distribution))
        return
    state.origins[name] = (distribution, version, builtin)


def _register_object(manager: pluggy.PluginManager, plugin: object, name: str) -> None:
    try:
        manager.register(plugin, name=name)
    except pluggy.PluginValidationError as error:
        raise PluginError(name, "bad hook: " + " ".join(str(error).split())) from None
    except ValueError:
        # pluggy refuses a second registration of the same name or object.
        raise PluginError(name, "another plugin is already registered under this name") from None
    unknown = [
        impl.function.__name__
        for caller in manager.get_hookcallers(plugin) or []
        for impl in caller.get_hookimpls()
        if impl.plugin is plugin and not caller.has_spec()
    ]
    if unknown:
        manager.unregister(plugin)
        known = (
            ", ".join(sorted(n for n, c in vars(manager.hook).items() if c.has_spec())) or "none"
        )
        raise PluginError(
            name, f"unknown hook {', '.join(sorted(unknown))}; storyfacts hooks are: {known}"
        )


def _ensure() -> _State:
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
    _register_object(state.manager, plugin, name)
    state.origins[name] = (None, None, False)
    state.exporters = None


def unregister(name: str) -> None:
    """Remove a plugin registered under ``name``; no error if there is none."""
    state = _ensure()
    if state.manager.has_plugin(name):
        state.manager.unregister(name=name)
    state.origins.pop(name, None)
    state.exporters = None


def _collect(state: _State) -> dict[str, Exporter]:
    found: list[Exporter] = []
    state.exporter_failures = []
    for impl in reversed(state.manager.hook.register_exporters.get_hookimpls()):
        plugin_name = state.manager.get_name(impl.plugin) or "?"
        distribution = state.origins.get(plugin_name, (None, None, False))[0]

        def add(
            item: Exporter, _plugin: str = plugin_name, _dist: str | None = distribution
        ) -> None:
            if not isinstance(item, Exporter):  # plugins are not type-checked
                state.exporter_failures.append(  # type: ignore[unreachable]
                    PluginFailure(_plugin, f"registered {item!r}, which is not an Exporter", _dist)
                )
                return
            problems = item.problems()
            if problems:
                state.exporter_failures.append(
                    PluginFailure(
                        _plugin, f"bad exporter {item.name!r}: {'; '.join(problems)}", _dist
                    )
                )
                return
            found.append(attrs.evolve(item, plugin=_plugin))

        try:
            # Pass only the arguments the implementation asks for, as pluggy
            # does, so hooks can gain arguments without breaking old plugins.
            offered = {"register": add}
            impl.function(*[offered[arg] for arg in impl.argnames])
        except Exception as error:
            state.exporter_failures.append(
                PluginFailure(
                    plugin_name,
                    f"register_exporters raised {type(error).__name__}: {error}",
                    distribution,
                )
            )
    return _resolve(state, found)


def _resolve(state: _State, found: list[Exporter]) -> dict[str, Exporter]:
    """Settle name clashes: built-ins first, then plugins in name order."""

    def rank(item: Exporter) -> tuple[int, str]:
        builtin = state.origins.get(item.plugin, (None, None, False))[2]
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
                    state.origins.get(item.plugin, (None, None, False))[0],
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
        if state.origins.get(item.plugin, (None, None, False))[2]
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
    for name, (distribution, version, builtin) in state.origins.items():
        plugin = state.manager.get_plugin(name)
        if plugin is None:
            continue
        hooks = tuple(sorted(c.name for c in state.manager.get_hookcallers(plugin) or []))
        out.append(PluginInfo(name, hooks, distribution, version, builtin))
    return sorted(out, key=lambda p: (not p.builtin, p.name))
