"""Which datasets are known to be valid, so that exporting one need not validate it again.

A :class:`~storyfacts.Dataset` is a tree of mutable attrs objects and plain
lists: a change anywhere in it (``dataset.statements[3].evidence.append(...)``)
passes through no code of storyfacts, so no flag could say "changed". What
is remembered instead is content. When a dataset is found valid (by
:func:`storyfacts.load` or :func:`storyfacts.validate`), the fingerprint of
the plain data that validation read is kept against that ``Dataset`` object;
before validating it again, storyfacts dumps it and compares fingerprints.

Equal fingerprints mean validation would read the very same data, and so give
the same verdict: the fingerprint hashes an exact encoding (``marshal``,
version 2, which has no back-references), one that tells a list from a
tuple, ``1`` from ``1.0`` and ``True``, NaN from ``None``, and refuses
anything but plain ``dict``, ``list``, ``str``, ``int``, ``float``, ``bool``
and ``None`` (an enum, a date, a subclass of ``str``: then nothing is
remembered, and the dataset is validated). Key order counts too: a file whose
keys are not in the order :func:`storyfacts.dump` writes them gives another
fingerprint than its dump, so its first check validates it, and remembers
the dump's fingerprint for the next.

A fingerprint costs a dump and a hash, a fraction of validating (measured in
benchmarks/checked_once.py).
"""

from __future__ import annotations

import hashlib
import marshal
import weakref
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .model import Dataset

__all__ = ["fingerprint", "is_known_valid", "remember_valid"]

#: id(dataset) -> (a weak reference to it, the fingerprint of its valid data).
_known: dict[int, tuple[weakref.ref[Dataset], bytes]] = {}


def fingerprint(data: Any) -> bytes | None:
    """A digest of plain JSON data, exact in type, value and order; ``None`` for other data."""
    try:
        encoded = marshal.dumps(data, 2)
    except ValueError:  # not plain data, or nested too deeply to encode
        return None
    return hashlib.blake2b(encoded, digest_size=32).digest()


def remember_valid(dataset: Dataset, data: Any) -> None:
    """Record that ``data``, which ``dataset`` was built from or dumps to, has no problem."""
    digest = fingerprint(data)
    if digest is None:
        return
    key = id(dataset)
    # The entry goes when the dataset does, before its id can be reused.
    reference = weakref.ref(dataset, lambda _: _known.pop(key, None))
    _known[key] = (reference, digest)


def is_known_valid(dataset: Dataset, data: Any) -> bool:
    """Whether ``data``, the dump of ``dataset`` now, is what was found valid for it."""
    entry = _known.get(id(dataset))
    if entry is None or entry[0]() is not dataset:
        return False
    return fingerprint(data) == entry[1]
