"""How storyfacts calls plugins, so that one plugin's failure is that plugin's alone.

pluggy calls every implementation of a hook in one go and stops at the first
exception. Each implementation registered through :mod:`storyfacts.plugins`
is therefore wrapped (:func:`_guard`): its exception is recorded under its
plugin's name and the call goes on. A wrapper implementation that raises ends
the whole call, so :func:`call_register_exporters` blames it and calls again
without it. Finding and listing plugins is :mod:`storyfacts.plugins`' job.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

import attrs
import pluggy

from .contract import Exporter
from .errors import PluginError

__all__ = [
    "NOWHERE",
    "Origin",
    "PluginFailure",
    "PluginState",
    "Registration",
    "call_register_exporters",
    "register_object",
]


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


@attrs.frozen
class Origin:
    """Where a registered plugin comes from."""

    distribution: str | None = None
    version: str | None = None
    builtin: bool = False


NOWHERE = Origin()


@attrs.define
class Registration:
    """One call of the ``register_exporters`` hook: what each plugin registered or broke."""

    origins: dict[str, Origin]
    found: list[Exporter] = attrs.field(factory=list)
    failures: list[PluginFailure] = attrs.field(factory=list)

    def fail(self, plugin: str, reason: str) -> None:
        self.failures.append(
            PluginFailure(plugin, reason, self.origins.get(plugin, NOWHERE).distribution)
        )

    def register_for(self, plugin: str) -> Callable[[Exporter], None]:
        """The ``register`` one plugin's hook is given: it knows whose exporters they are."""

        def register(item: Exporter) -> None:
            if not isinstance(item, Exporter):  # plugins are not type-checked
                self.fail(plugin, f"registered {item!r}, which is not an Exporter")  # type: ignore[unreachable]
                return
            problems = item.problems()
            if problems:
                self.fail(plugin, f"bad exporter {item.name!r}: {'; '.join(problems)}")
                return
            self.found.append(attrs.evolve(item, plugin=plugin))

        return register


@attrs.define
class PluginState:
    manager: pluggy.PluginManager
    origins: dict[str, Origin]
    load_failures: list[PluginFailure]
    exporters: dict[str, Exporter] | None = None
    exporter_failures: list[PluginFailure] = attrs.field(factory=list)
    #: The hook call under way, which guarded implementations report to.
    registration: Registration | None = None


def register_object(state: PluginState, plugin: object, name: str) -> None:
    manager = state.manager
    try:
        manager.register(plugin, name=name)
    except pluggy.PluginValidationError as error:
        raise PluginError(name, "bad hook: " + " ".join(str(error).split())) from None
    except ValueError:
        # pluggy refuses a second registration of the same name or object.
        raise PluginError(name, "another plugin is already registered under this name") from None
    impls = [
        (caller, impl)
        for caller in manager.get_hookcallers(plugin) or []
        for impl in caller.get_hookimpls()
        if impl.plugin is plugin
    ]
    unknown = [impl.function.__name__ for caller, impl in impls if not caller.has_spec()]
    if unknown:
        manager.unregister(plugin)
        known = (
            ", ".join(sorted(n for n, c in vars(manager.hook).items() if c.has_spec())) or "none"
        )
        raise PluginError(
            name, f"unknown hook {', '.join(sorted(unknown))}; storyfacts hooks are: {known}"
        )
    for caller, impl in impls:
        _guard(state, caller.name, impl, name)


def _guard(state: PluginState, hook: str, impl: pluggy.HookImpl, plugin: str) -> None:
    """Make one plugin's implementation safe to call among the others.

    pluggy calls every implementation in one go and stops at the first
    exception, so each implementation is wrapped: an exception is recorded
    under the plugin's name and the call goes on to the next plugin. Each
    implementation, wrappers included, gets a ``register`` that knows which
    plugin it belongs to.
    """
    function = impl.function
    position = impl.argnames.index("register") if "register" in impl.argnames else None

    def bound(args: tuple[Any, ...]) -> tuple[Any, ...]:
        registration = state.registration
        if position is None or registration is None:
            return args
        return (*args[:position], registration.register_for(plugin), *args[position + 1 :])

    if impl.wrapper or impl.hookwrapper:
        # A wrapper is a generator that pluggy drives; a failure inside it ends
        # the call, and call_register_exporters retries without the wrapper.
        def called(*args: Any, **kwargs: Any) -> Any:
            return function(*bound(args), **kwargs)

    else:

        def called(*args: Any, **kwargs: Any) -> Any:
            try:
                return function(*bound(args), **kwargs)
            except Exception as error:
                if state.registration is not None:
                    state.registration.fail(
                        plugin, f"{hook} raised {type(error).__name__}: {error}"
                    )
                return None

    functools.update_wrapper(called, function)
    # HookImpl declares ``function`` final, but pluggy reads it on every call,
    # and replacing it is the one way to guard a single plugin's implementation.
    impl.function = called  # type: ignore[misc]


def call_register_exporters(state: PluginState) -> Registration:
    """Call the hook through pluggy, so wrappers and hook-call monitoring see it.

    An ordinary implementation that raises is recorded by its guard (see
    :func:`_guard`). A wrapper that raises ends the whole call; it is then
    reported by name and the call made again without its plugin, so each
    round leaves out one more plugin and the loop ends.
    """
    left_out: list[object] = []
    failures: list[PluginFailure] = []
    while True:
        registration = Registration(state.origins)
        caller = state.manager.subset_hook_caller("register_exporters", left_out)
        state.registration = registration
        try:
            # Every implementation registered through storyfacts gets its own
            # ``register`` from its guard; this one reaches only a plugin put
            # on the plugin manager directly, whose name storyfacts never saw.
            caller(register=registration.register_for("?"))
        except Exception as error:
            culprits = _culprits(caller, error)
            if not culprits:
                raise
            for impl in culprits:
                failures.append(
                    PluginFailure(
                        impl.plugin_name,
                        f"register_exporters raised {type(error).__name__}: {error}",
                        state.origins.get(impl.plugin_name, NOWHERE).distribution,
                    )
                )
            left_out.extend(impl.plugin for impl in culprits)
            continue
        finally:
            state.registration = None
        registration.failures[:0] = failures
        return registration


def _culprits(caller: pluggy.HookCaller, error: BaseException) -> list[pluggy.HookImpl]:
    """The implementations to blame for ``error``: the innermost one in its traceback.

    When none of their code is in the traceback (pluggy itself refused a
    wrapper that did not yield), every wrapper is blamed.
    """
    impls = caller.get_hookimpls()
    codes = {_code(impl.function): impl for impl in impls}
    found = None
    trace = error.__traceback__
    while trace is not None:
        found = codes.get(trace.tb_frame.f_code, found)
        trace = trace.tb_next
    if found is not None:
        return [found]
    return [impl for impl in impls if impl.wrapper or impl.hookwrapper]


def _code(function: Callable[..., Any]) -> object:
    inner = inspect.unwrap(function)
    return getattr(getattr(inner, "__func__", inner), "__code__", None)
