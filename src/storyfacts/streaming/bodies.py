"""Article bodies kept for the evidence that cites them, in memory that does not grow with them.

Checking a passage of evidence needs the body of the article it cites, and
every article comes before any evidence. Evidence mostly cites one article
after another, so only the bodies used most recently, up to ``CACHED``
characters, are held in memory; any other is read back when it is cited: a
corpus's from its own file (:class:`ArticleBodies`), a dataset file's from
a temporary file each body is written to as it is read
(:class:`SpilledBodies`). The last article of an id wins, as in a dataset
held whole.
"""

from __future__ import annotations

import abc
import json
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO, Any

from .spill import Spill

__all__ = ["ArticleBodies", "SpilledBodies", "kept_body"]


def kept_body(body: str) -> str:
    """An article's body as it is kept for the evidence that cites it: its text alone.

    The storage check serialises each record with orjson, which leaves text
    that is not ASCII carrying a cached UTF-8 copy of itself for as long as
    the text lives (one and a half times its size again for Cyrillic or
    Chinese); a body kept to the end of the check would keep that copy too.
    The text decoded from its UTF-8 (surrogates passed through, as a body may
    hold one) is the same text without it.
    """
    if body.isascii():
        return body  # an ASCII text is its own UTF-8: nothing is cached beside it
    return body.encode("utf-8", "surrogatepass").decode("utf-8", "surrogatepass")


class _CachedBodies(Mapping[str, str]):
    """The bodies used most recently, in memory; a subclass reads back any other."""

    #: How many characters of bodies are kept in memory at most (one body always):
    #: room for a few dozen, as the evidence of a story cites its articles in turn.
    CACHED = 100_000

    def __init__(self) -> None:
        self._cache: OrderedDict[str, str] = OrderedDict()
        self._cached = 0

    @abc.abstractmethod
    def _read(self, article: str) -> str:
        """The body of ``article`` from where it waits; ``KeyError`` for no such article."""

    def _forget(self, article: str) -> None:
        body = self._cache.pop(article, None)
        if body is not None:
            self._cached -= len(body)

    def _keep(self, article: str, body: str) -> None:
        self._cache[article] = body
        self._cached += len(body)
        while self._cached > self.CACHED and len(self._cache) > 1:
            _, dropped = self._cache.popitem(last=False)
            self._cached -= len(dropped)

    def __getitem__(self, article: str) -> str:
        body = self._cache.get(article)
        if body is not None:
            self._cache.move_to_end(article)
            return body
        body = self._read(article)
        self._keep(article, body)
        return body

    def get(self, article: str, default: Any = None) -> Any:
        # Asked for every piece of evidence: the common case avoids an exception.
        body = self._cache.get(article)
        if body is not None:
            self._cache.move_to_end(article)
            return body
        if article not in self:
            return default
        return self[article]


class ArticleBodies(_CachedBodies):
    """Article bodies by id, read back from the corpus's file when evidence asks for one.

    Only where each article starts in its file is kept for every article.
    """

    def __init__(self, path: Path) -> None:
        super().__init__()
        self._path = path
        self._file: IO[bytes] | None = None
        self._offsets: dict[str, int] = {}

    def add(self, article: str, offset: int, body: str) -> None:
        """Remember where the article with this id and body starts in the file."""
        self._offsets[article] = offset
        self._forget(article)
        self._keep(article, kept_body(body))

    def _read(self, article: str) -> str:
        offset = self._offsets[article]  # KeyError: no such article
        if self._file is None:
            self._file = self._path.open("rb")
        self._file.seek(offset)
        # The line parsed strictly when it was read, and held a text body.
        return str(json.loads(self._file.readline())["body"])

    def __contains__(self, article: object) -> bool:
        return article in self._offsets

    def __iter__(self) -> Iterator[str]:
        return iter(self._offsets)

    def __len__(self) -> int:
        return len(self._offsets)

    def close(self) -> None:
        if self._file is not None:
            self._file.close()


class SpilledBodies(_CachedBodies):
    """Article bodies by id, written to a temporary file as a dataset file is read.

    A dataset file read as a stream (:mod:`storyfacts.streaming.document`)
    cannot be read again from where an article was: each body goes to a
    temporary file (:class:`~storyfacts.streaming.spill.Spill`), as UTF-8,
    and where it starts there and its length are kept. Held in memory
    instead, the bodies were a tenth of the file (1.3 MiB of the
    10,000-statement benchmark file, 13 of the 100,000). A body the file
    cannot take (no temporary directory, a full disk) is held in memory.
    """

    #: Room for a few bodies: the evidence of a dataset file cites them in turn
    #: (with 50,000 characters rather than 100,000, validating 10,000 and
    #: 100,000 statements read back no more bodies: each cited article once).
    CACHED = 50_000

    def __init__(self) -> None:
        super().__init__()
        self._spill = Spill()
        self._places: dict[str, tuple[int, int]] = {}
        #: Bodies the temporary file did not take.
        self._held: dict[str, str] = {}

    def add(self, article: str, body: str) -> None:
        """Keep the body of the article with this id, for the evidence to come."""
        encoded = body.encode("utf-8", "surrogatepass")
        # Decoded, not the record's own text, which may carry orjson's UTF-8 (see kept_body).
        text = body if body.isascii() else encoded.decode("utf-8", "surrogatepass")
        self._forget(article)
        self._places.pop(article, None)
        self._held.pop(article, None)
        start = self._spill.put(encoded)
        if start is None:
            self._held[article] = text
        else:
            self._places[article] = (start, len(encoded))
        self._keep(article, text)

    def _read(self, article: str) -> str:
        held = self._held.get(article)
        if held is not None:
            return held
        start, length = self._places[article]  # KeyError: no such article
        return self._spill.get(start, length).decode("utf-8", "surrogatepass")

    def __contains__(self, article: object) -> bool:
        return article in self._places or article in self._held

    def __iter__(self) -> Iterator[str]:
        yield from self._places
        yield from self._held

    def __len__(self) -> int:
        return len(self._places) + len(self._held)

    def close(self) -> None:
        self._spill.close()
