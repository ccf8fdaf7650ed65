"""Where the bundled schema and seed dataset live.

An installed wheel carries them in ``storyfacts/_data``; a source checkout
(editable install, or running from ``src/``) has them at the repository root.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent

SCHEMA_FILE = "dataset.schema.json"
SEED_FILE = "putin-xi-olympics-2023.json"


@cache
def data_dir(name: str) -> Path:
    """Return the directory of bundled data called ``name`` (``schemas`` or ``seeds``)."""
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"storyfacts is installed without its {name!r} data")


def schema_path() -> Path:
    return data_dir("schemas") / SCHEMA_FILE


def seed_path() -> Path:
    return data_dir("seeds") / SEED_FILE
