"""Shared fixtures: the bundled dataset, fresh copies of its data, temporary plugins."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest

import storyfacts
import storyfacts.workbook  # before tests import openpyxl: the XML writer of a plain install
from storyfacts import plugins, validation
from storyfacts.cli import main


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


#: Runs the command line: (arguments...) -> (exit code, standard output, standard error).
RunCli = Callable[..., tuple[int, str, str]]


@pytest.fixture
def validations(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Every piece of data validation.problems is asked about, in order."""
    seen: list[Any] = []
    real = validation.problems

    def counting(data: Any) -> list[storyfacts.Problem]:
        seen.append(data)
        return real(data)

    monkeypatch.setattr(validation, "problems", counting)
    return seen


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]) -> RunCli:
    """Run `storyfacts ARGS...` in-process and return its exit code and output."""

    def run(*args: str) -> tuple[int, str, str]:
        try:
            code = main(list(args))
        except SystemExit as exit_:  # a usage error or --help ends click with SystemExit
            code = int(exit_.code or 0)
        out, err = capsys.readouterr()
        return code, out, err

    return run


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
