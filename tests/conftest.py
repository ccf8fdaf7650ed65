"""Shared fixtures: the bundled dataset, fresh copies of its data, temporary plugins."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest

import storyfacts
from storyfacts import plugins


@pytest.fixture(scope="session")
def seed_data_pristine() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(storyfacts.bundled_path().read_text(encoding="utf-8"))
    return data


@pytest.fixture
def seed_data(seed_data_pristine: dict[str, Any]) -> dict[str, Any]:
    """A fresh, mutable copy of the bundled dataset as plain JSON data."""
    return copy.deepcopy(seed_data_pristine)


@pytest.fixture
def bundled() -> storyfacts.Dataset:
    """The bundled dataset, loaded and validated."""
    return storyfacts.load_bundled()


@pytest.fixture
def register_plugin() -> Iterator[Callable[[object, str], None]]:
    """Register plugin objects for one test; they are unregistered afterwards."""
    names: list[str] = []

    def register(plugin: object, name: str) -> None:
        plugins.register(plugin, name)
        names.append(name)

    try:
        yield register
    finally:
        for name in names:
            plugins.unregister(name)
