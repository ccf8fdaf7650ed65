"""The canonical JSON of a dataset, in chunks: ``storyfacts.dumps`` without holding it whole.

Two exports need these bytes: the json exporter writes them, and the
workbook's About sheet stores their SHA-256 (its fingerprint, which tells an
edited workbook from one as exported). Both stream them from here, record by
record, so memory does not grow with the dataset.

Each record is serialised by orjson, whose ``OPT_INDENT_2`` layout is the one
``json.dumps(indent=2, ensure_ascii=False)`` gives, several times faster
(:func:`storyfacts.jsonfile.nested`). Where the two could write a record
differently, the record is written by the standard library instead, so the
bytes are always exactly ``storyfacts.dumps(dataset)``: orjson spells a float
between 1e-10 and 1e-4 another way (``0.00001`` for ``1e-05``, ``1e-9`` for
``1e-09``), and refuses what the standard library writes or refuses
differently (a whole number beyond 64 bits, a lone surrogate).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .model import Dataset

__all__ = ["chunks", "sha256"]

#: Progress is reported after this many records.
PROGRESS_EVERY = 2000

#: An object's value that orjson may spell unlike ``json.dumps``: a number with
#: a one-digit negative exponent (``1e-9``) or four zeros after the point
#: (``0.00001``). Every number of the model is an object's value (no field is
#: a list of numbers). A string that happens to match only costs the slower
#: path; the literal ``": `` first makes the search fast.
_ORJSON_MAY_DIFFER = re.compile(rb'": -?(?:[0-9]+(?:\.[0-9]+)?e-[0-9][,\n]|0\.0000)')


def _nested(value: Any, depth: int) -> bytes:
    """``value`` as ``json.dumps(document, indent=2, ensure_ascii=False)`` writes it ``depth``
    spaces deep."""
    import orjson

    try:
        text = orjson.dumps(value, option=orjson.OPT_INDENT_2)
    except orjson.JSONEncodeError:
        text = b""
    if not text or _ORJSON_MAY_DIFFER.search(text):
        # Raises, as storyfacts.dumps would, for what JSON cannot hold.
        text = json.dumps(value, indent=2, ensure_ascii=False, allow_nan=False).encode("utf-8")
    # JSON strings never hold a raw line break, so each b"\n" is layout.
    return text.replace(b"\n", b"\n" + b" " * depth)


def chunks(
    dataset: Dataset, advance: Callable[[int], None] = lambda count: None
) -> Iterator[bytes]:
    """The bytes of ``storyfacts.dumps(dataset)``, in order; ``advance(n)`` after ``n`` records."""
    import attrs

    # cattrs and the model are imported when a dataset is written, not when
    # an exporter is listed (`storyfacts formats`).
    from . import kinds
    from .convert import converter

    sections = {section.name for section in kinds.SECTIONS}
    # The top level as storyfacts.dump gives it (its keys, their order, what
    # it leaves out), with each section's records to be streamed in place.
    top: dict[str, Any] = converter.unstructure(
        attrs.evolve(dataset, articles=[], entities=[], statements=[], sources=[])
    )
    yield b"{\n"
    for number, (key, value) in enumerate(top.items()):
        yield b"  " + _nested(key, 2) + b": "
        records = getattr(dataset, key) if key in sections else None
        if records:
            yield from _section(records, advance)
        else:
            yield _nested(value, 2)
        yield b",\n" if number < len(top) - 1 else b"\n"
    yield b"}\n"


def _section(records: list[Any], advance: Callable[[int], None]) -> Iterator[bytes]:
    from .convert import converter

    unstructure = converter.unstructure
    separator = b"[\n    "
    # One chunk a record, so that what is held at once does not grow with the
    # dataset; progress is reported a batch at a time, which costs less.
    for number, record in enumerate(records, start=1):
        # Each record sits four spaces deep in the whole document.
        yield separator + _nested(unstructure(record), 4)
        separator = b",\n    "
        if number % PROGRESS_EVERY == 0:
            advance(PROGRESS_EVERY)
    if len(records) % PROGRESS_EVERY:
        advance(len(records) % PROGRESS_EVERY)
    yield b"\n  ]"


def sha256(dataset: Dataset) -> str:
    """``sha256:`` and the hex SHA-256 of ``storyfacts.dumps(dataset)``, computed in chunks."""
    digest = hashlib.sha256()
    for chunk in chunks(dataset):
        digest.update(chunk)
    return "sha256:" + digest.hexdigest()
