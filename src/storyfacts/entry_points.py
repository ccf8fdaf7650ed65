"""The installed plugins' entry points, read the way importlib.metadata reads them, but cheaply.

``importlib.metadata`` costs about 14 ms to import (it brings the ``email``
package to parse METADATA files), a sixth of what ``storyfacts formats``
takes. Listing one entry-point group needs none of that: each distribution
on ``sys.path`` is a ``NAME-VERSION.dist-info`` (or ``.egg-info``)
directory, its entry points an INI-like ``entry_points.txt``, and the first
distribution of a name on ``sys.path`` hides the later ones.
:func:`entry_points` follows importlib.metadata's own rules for each of
these (``Sectioned``, ``Lookup``, ``_unique`` and ``EntryPoint.load`` in
its source), and hands the work back to importlib.metadata whenever
distributions could be found any other way: a zip file on ``sys.path``, or
an import hook that finds distributions of its own.
tests/test_entry_points.py compares the two.
"""

from __future__ import annotations

import functools
import importlib
import re
import sys
from collections.abc import Iterable
from pathlib import Path

__all__ = ["Distribution", "EntryPoint", "entry_points"]

# importlib.metadata.EntryPoint.pattern: "module", "module:attr", with any [extras].
_VALUE = re.compile(r"(?P<module>[\w.]+)\s*(:\s*(?P<attr>[\w.]+)\s*)?((?P<extras>\[.*\])\s*)?$")
_SUFFIXES = (".dist-info", ".egg-info")


class Distribution:
    """The name and version of the distribution an entry point comes from."""

    def __init__(self, name: str | None, version: str | None) -> None:
        self.name = name
        self.version = version


class EntryPoint:
    """One entry point: its name, what it names (``module:attr``) and its distribution."""

    def __init__(self, name: str, value: str, dist: Distribution | None) -> None:
        self.name = name
        self.value = value
        self.dist = dist

    def load(self) -> object:
        """Import the module the entry point names and return the attribute, if it names one."""
        match = _VALUE.match(self.value)
        if match is None:
            raise ValueError(f"entry point {self.name!r} names {self.value!r}, not a module")
        module = importlib.import_module(match.group("module"))
        attributes = filter(None, (match.group("attr") or "").split("."))
        return functools.reduce(getattr, attributes, module)


def entry_points(group: str) -> list[EntryPoint]:
    """Every entry point in ``group`` of the distributions on ``sys.path``, in their order."""
    if _found_elsewhere():
        return _from_importlib(group)
    found: list[EntryPoint] = []
    seen: set[str] = set()
    for entry in sys.path:
        base = Path(entry or ".")
        try:
            children = [child.name for child in base.iterdir()]
        except NotADirectoryError:  # a zip file: importlib.metadata knows how to read one
            return _from_importlib(group)
        except OSError:
            continue
        for child in children:
            low = child.lower()
            if not low.endswith(_SUFFIXES):
                continue
            name = _normalize(low.rpartition(".")[0].partition("-")[0])
            if name in seen:
                continue
            seen.add(name)
            folder = base / child
            pairs = list(_section(_read(folder, "entry_points.txt"), group))
            if pairs:
                dist = _distribution(folder)
                found += [EntryPoint(key, value, dist) for key, value in pairs]
    return found


def _found_elsewhere() -> bool:
    """Whether an import hook other than the standard path finder can find distributions."""
    from importlib.machinery import PathFinder

    return any(
        finder is not PathFinder and callable(getattr(finder, "find_distributions", None))
        for finder in sys.meta_path
    )


def _from_importlib(group: str) -> list[EntryPoint]:
    import importlib.metadata

    return [
        EntryPoint(
            point.name,
            point.value,
            Distribution(point.dist.name, point.dist.version) if point.dist else None,
        )
        for point in importlib.metadata.entry_points(group=group)
    ]


def _normalize(name: str) -> str:
    # importlib.metadata.Prepared.normalize: PEP 503, with dashes as underscores.
    return re.sub(r"[-_.]+", "-", name).lower().replace("-", "_")


def _read(folder: Path, name: str) -> str:
    try:
        return (folder / name).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""


def _section(text: str, group: str) -> Iterable[tuple[str, str]]:
    """The ``name = value`` pairs under ``[group]``, read as importlib.metadata's Sectioned."""
    section = None
    for line in map(str.strip, text.splitlines()):
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line.strip("[]")
            continue
        if section == group:
            name, _, value = line.partition("=")
            yield name.strip(), value.strip()


def _distribution(folder: Path) -> Distribution:
    """The Name and Version headers of a distribution's METADATA (PKG-INFO for an egg)."""
    headers: dict[str, str] = {}
    for filename in ("METADATA", "PKG-INFO"):
        text = _read(folder, filename)
        if not text:
            continue
        for line in text.splitlines():
            if not line.strip():
                break  # the headers end at the first empty line; the description follows
            key, sep, value = line.partition(":")
            if sep and key in ("Name", "Version") and key not in headers:
                headers[key] = value.strip()
        break
    return Distribution(headers.get("Name"), headers.get("Version"))
