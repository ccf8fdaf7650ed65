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
``1e-09``), writes NaN and the infinities as ``null`` (``dumps`` refuses
them), and refuses what the standard library writes or refuses differently
(a whole number beyond 64 bits, a lone surrogate).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .model import Dataset

__all__ = ["chunks", "fetched", "known_sha256", "sha256", "unchanged"]

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
    # orjson writes NaN and the infinities as null, which dumps refuses; a
    # real null is rare in a dataset (absent fields are left out).
    if not text or b"null" in text or _ORJSON_MAY_DIFFER.search(text):
        # Raises, as storyfacts.dumps would, for what JSON cannot hold.
        text = json.dumps(value, indent=2, ensure_ascii=False, allow_nan=False).encode("utf-8")
    # JSON strings never hold a raw line break, so each b"\n" is layout.
    return text.replace(b"\n", b"\n" + b" " * depth)


def _no_progress(count: int) -> None:
    return None


#: The datasets promised unchanged while a block runs (:func:`unchanged`), by id:
#: the SHA-256 of their canonical JSON once an export has computed it.
_unchanged: dict[int, str | None] = {}


#: Where the hash of a dataset promised unchanged may be had before it is
#: computed here (:func:`fetched`), by id: asked once.
_fetchers: dict[int, Callable[[], str | None]] = {}


@contextlib.contextmanager
def unchanged(dataset: Dataset) -> Iterator[None]:
    """Promise that ``dataset`` does not change while the block runs, so exports share work.

    The command line exports one dataset to several formats in one. The json
    export then hashes the bytes it writes, and the workbook's fingerprint,
    the hash of the same bytes, is not computed again. Outside such a block
    nothing is remembered: a dataset may change between two exports.
    """
    key = id(dataset)
    if key in _unchanged:  # already promised by an enclosing block
        yield
        return
    _unchanged[key] = None
    try:
        yield
    finally:
        del _unchanged[key]


@contextlib.contextmanager
def fetched(dataset: Dataset, fetch: Callable[[], str | None]) -> Iterator[None]:
    """Inside :func:`unchanged`, ask ``fetch()`` for the hash before computing it.

    For a worker process of ``storyfacts export -j``, forked with the dataset
    after it was loaded: the json export, in another worker, computes the hash
    as it writes, and the workbook here can take it from there rather than
    serialise the whole dataset a second time (1.5 s at 100,000 statements).
    ``fetch`` returns ``None`` when it cannot tell; the hash is then computed.
    """
    key = id(dataset)
    _fetchers[key] = fetch
    try:
        yield
    finally:
        _fetchers.pop(key, None)


def known_sha256(dataset: Dataset) -> str | None:
    """The hash of ``dataset`` if an export in an :func:`unchanged` block computed it."""
    return _unchanged.get(id(dataset))


def chunks(
    dataset: Dataset,
    advance: Callable[[int], None] = _no_progress,
    records: Callable[[str], Iterable[Any]] | None = None,
) -> Iterator[bytes]:
    """The bytes of ``storyfacts.dumps(dataset)``, in order; ``advance(n)`` after ``n`` records.

    ``records(section)``, when given, yields each section's records in place of
    the dataset's own: a JSON Lines corpus read one record at a time (see
    :meth:`storyfacts.streaming.CorpusReader.structured`), with ``dataset``
    its header.
    """
    key = id(dataset)
    digest = hashlib.sha256() if key in _unchanged and _unchanged[key] is None else None
    for chunk in _chunks(dataset, advance, records):
        if digest is not None:
            digest.update(chunk)
        yield chunk
    if digest is not None and key in _unchanged:
        _unchanged[key] = "sha256:" + digest.hexdigest()


def _chunks(
    dataset: Dataset,
    advance: Callable[[int], None],
    records: Callable[[str], Iterable[Any]] | None = None,
) -> Iterator[bytes]:
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
        if key in sections:
            yield from _section(getattr(dataset, key) if records is None else records(key), advance)
        else:
            yield _nested(value, 2)
        yield b",\n" if number < len(top) - 1 else b"\n"
    yield b"}\n"


def _section(records: Iterable[Any], advance: Callable[[int], None]) -> Iterator[bytes]:
    from .convert import converter

    unstructure = converter.unstructure
    separator = b"[\n    "
    number = 0
    # One chunk a record, so that what is held at once does not grow with the
    # dataset; progress is reported a batch at a time, which costs less.
    for number, record in enumerate(records, start=1):
        # Each record sits four spaces deep in the whole document.
        yield separator + _nested(unstructure(record), 4)
        separator = b",\n    "
        if number % PROGRESS_EVERY == 0:
            advance(PROGRESS_EVERY)
    if not number:
        yield b"[]"  # as json.dumps writes an empty list
        return
    if number % PROGRESS_EVERY:
        advance(number % PROGRESS_EVERY)
    yield b"\n  ]"


def sha256(dataset: Dataset) -> str:
    """``sha256:`` and the hex SHA-256 of ``storyfacts.dumps(dataset)``, computed in chunks.

    Inside :func:`unchanged`, an export that wrote the bytes already computed it.
    """
    key = id(dataset)
    known = _unchanged.get(key)
    if known is None and key in _unchanged and key in _fetchers:
        known = _fetchers.pop(key)()
        if known is not None:
            _unchanged[key] = known
    if known is not None:
        return known
    digest = hashlib.sha256()
    for chunk in _chunks(dataset, _no_progress):
        digest.update(chunk)
    known = "sha256:" + digest.hexdigest()
    if key in _unchanged:
        _unchanged[key] = known
    return known
