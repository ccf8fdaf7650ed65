"""The conformance kit's entry point: :func:`check_exporter`."""

from __future__ import annotations

import contextlib
import tempfile
from pathlib import Path

from .. import formats, plugins
from ..contract import Exporter
from ._checks import Conformance
from ._registration import registered
from ._report import Check, ConformanceError, Report

__all__ = ["check_exporter"]


def _resolve(
    target: str | Exporter | object, plugin_name: str | None
) -> tuple[list[str], tuple[object, str] | None]:
    """The format names to check, and the plugin to register first with its name, if any."""
    if isinstance(target, str):
        return [target], None
    if isinstance(target, Exporter):
        return [target.name], (target, plugin_name or f"storyfacts.testing.{target.name}")
    name = plugin_name or getattr(target, "__name__", None) or type(target).__name__
    return [], (target, name)


def _not_listed(format_name: str, plugin_name: str | None) -> str | None:
    """Why the exporter to check is not the one listed as ``format_name``; None when it is."""
    found = plugins.exporters().get(format_name)
    if found is None:
        known = ", ".join(plugins.exporters()) or "none"
        failures = "; ".join(str(f) for f in plugins.failures()) or "none"
        return (
            f"no exporter is called {format_name!r} (formats: {known}; plugin failures: {failures})"
        )
    if plugin_name is not None and found.plugin != plugin_name:
        hidden = "; ".join(str(f) for f in plugins.failures() if f.plugin == plugin_name)
        return hidden or f"plugin {found.plugin!r} provides {format_name!r} instead"
    return None


def check_exporter(
    exporter: str | Exporter | object,
    *,
    plugin_name: str | None = None,
    directory: str | Path | None = None,
    n_statements: int = 24,
    seed: int = 0,
) -> Report:
    """Check an exporter against the storyfacts exporter contract; raise if any check fails.

    An exporter that declares ``omitted`` is also exported once for each
    optional field of the model, to check it writes every field it does not
    declare omitted (one export of a 12-statement dataset for each of the
    model's optional fields, 86 of them today).

    :param exporter: a format name already registered (``"markdown"``); an
        :class:`~storyfacts.Exporter`; or a plugin (a module or object with
        ``@hookimpl`` functions), every exporter of which is checked. An
        exporter or plugin is registered for the check and unregistered after.
    :param plugin_name: the name to register a given exporter or plugin under.
    :param directory: where to write the outputs (such as pytest's
        ``tmp_path``); by default a temporary directory, removed afterwards.
    :param n_statements: size of the generated dataset (see :func:`make_dataset`).
    :param seed: seed of the generated dataset.
    :returns: the :class:`Report` of every check, when none failed.
    :raises ConformanceError: listing every failed check, with its reason.
    """
    names, registration = _resolve(exporter, plugin_name)
    plugin_name = registration[1] if registration else None
    checks: list[Check] = []
    with contextlib.ExitStack() as stack:
        if registration is not None and plugins.blocked(str(plugin_name)):
            reason = (
                f"plugin {plugin_name!r} is blocked by {plugins.BLOCK_ENV}, so it cannot be "
                "registered; unset it, or check under another plugin_name"
            )
            checks.append(Check(str(plugin_name), "registers an exporter", "failed", reason))
            registration, names = None, []
        if registration is not None:
            stack.enter_context(registered(*registration))
            names = names or [e.name for e in formats() if e.plugin == plugin_name]
            if not names:
                refusals = "; ".join(str(f) for f in plugins.failures() if f.plugin == plugin_name)
                reason = refusals or "the plugin registered no exporter"
                checks.append(Check(str(plugin_name), "registers an exporter", "failed", reason))
        if directory is None:
            directory = stack.enter_context(tempfile.TemporaryDirectory(prefix="storyfacts-"))
        Path(directory).mkdir(parents=True, exist_ok=True)
        for name in names:
            problem = _not_listed(name, plugin_name)
            if problem:
                checks.append(Check(name, "is listed by storyfacts formats", "failed", problem))
                continue
            # A fresh folder each time, so that checking twice into one directory works.
            scratch = Path(tempfile.mkdtemp(prefix=f"conformance-{name}-", dir=directory))
            checks += Conformance(plugins.exporter(name), scratch, n_statements, seed).run()
    report = Report(tuple(checks))
    if not report.ok:
        raise ConformanceError(report)
    return report
