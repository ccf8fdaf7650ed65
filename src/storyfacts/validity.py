"""Which datasets are known to be valid, so that exporting one need not validate it again.

When validation finds a :class:`~storyfacts.Dataset` valid (in
:func:`storyfacts.load`, :func:`storyfacts.validate` or the check that
:func:`storyfacts.export` makes first), a proof is kept against that
``Dataset`` object, of one of two kinds.

**The count of edits** (:mod:`storyfacts.edits`), when every list in the
dataset is a :class:`~storyfacts.edits.WatchedList`, as every list that
``load`` makes is. The count is read before validation reads the data;
every assignment to a field and every change to a watched list moves it.
While it stands where it was, nothing in the dataset has changed, so the
next check answers at once, whatever the size of the dataset: no walk, no
dump, no validation. The count is one for the whole process, so an edit
anywhere (in another dataset too) makes the next check validate again; that
costs time, never a wrong verdict.

**A fingerprint of its data**, when some list is a plain ``list`` (records
built in Python as ``Quote(evidence=[...])``), which changes without a word
to anyone. Then the fingerprint of the plain data that validation read is
kept; the next check dumps the dataset and compares fingerprints. Equal
fingerprints mean validation would read the very same data, and so give the
same verdict: the fingerprint hashes an exact encoding (``marshal``, version
2, which has no back-references), one that tells a list from a tuple, ``1``
from ``1.0`` and ``True``, NaN from ``None``, and refuses anything but plain
``dict``, ``list``, ``str``, ``int``, ``float``, ``bool`` and ``None`` (an
enum, a date, a subclass of ``str``: then nothing is remembered, and the
dataset is validated). The types are walked all the same before a
fingerprint is trusted: a dict put among the entities dumps to the same data
as the record it replaced.

Either way, a dataset that was changed is validated again before it is
written: nothing invalid is ever exported. The cost of each path is measured
in benchmarks/checked_once.py.
"""

from __future__ import annotations

import hashlib
import marshal
import weakref
from typing import TYPE_CHECKING, Any

from . import edits

if TYPE_CHECKING:
    from .model import Dataset

__all__ = ["fingerprint", "is_known_valid", "remember_valid"]

#: id(dataset) -> (a weak reference to it, the count of edits read before it
#: was found valid, or else the fingerprint of its valid data).
_known: dict[int, tuple[weakref.ref[Dataset], int | None, bytes | None]] = {}


def fingerprint(data: Any) -> bytes | None:
    """A digest of plain JSON data, exact in type, value and order; ``None`` for other data."""
    try:
        encoded = marshal.dumps(data, 2)
    except ValueError:  # not plain data, or nested too deeply to encode
        return None
    return hashlib.blake2b(encoded, digest_size=32).digest()


def remember_valid(dataset: Dataset, *, count: int | None = None, data: Any = None) -> None:
    """Record that ``dataset`` was found valid.

    ``count`` is :func:`storyfacts.edits.count` read before validation read
    the dataset, given only when every list in it is watched; otherwise
    ``data``, the plain data validation found valid, is fingerprinted.
    """
    digest = None
    if count is None:
        digest = fingerprint(data)
        if digest is None:
            return
    key = id(dataset)
    # The entry goes when the dataset does, before its id can be reused.
    reference = weakref.ref(dataset, lambda _: _known.pop(key, None))
    _known[key] = (reference, count, digest)


def is_known_valid(dataset: Dataset, data: Any = None) -> bool:
    """Whether ``dataset`` is what was found valid.

    Without ``data``: whether it has not been edited since, which the count
    of edits answers at once. With ``data``, the dump of ``dataset`` now:
    whether that is what was found valid, by fingerprint, for a dataset that
    holds a plain list.
    """
    entry = _known.get(id(dataset))
    if entry is None or entry[0]() is not dataset:
        return False
    _, count, digest = entry
    if count is not None:
        return count == edits.count()
    return data is not None and fingerprint(data) == digest
