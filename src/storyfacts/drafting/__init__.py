"""Drafting a starter record from an article's text: ``storyfacts new`` and :func:`draft`.

The drafter proposes what a person would otherwise type: direct quotes with
their speakers (:mod:`.quotes`, :mod:`.attribution`, :mod:`.speakers`), date
phrases resolved against the publication date (:mod:`.dates`), and candidate
entities (:mod:`.entities`, :mod:`.names`, :mod:`.countries`). Every record
it proposes is marked as a draft with the rule that made it and a confidence;
an editor confirms, corrects or deletes each one.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from pathlib import Path

from ..errors import InvalidDatasetError, StoryfactsError
from ..model import Dataset
from .assembly import PLACEHOLDER_HOST, assemble
from .attribution import RULES as QUOTE_RULES
from .dates import RULES as DATE_RULES
from .entities import ENTITY_RULES
from .names import RULES as NAME_RULES

__all__ = ["PLACEHOLDER_HOST", "RULES", "DraftingError", "draft"]

#: Every drafting rule: name -> (confidence, what it matches).
RULES: dict[str, tuple[float, str]] = {
    **QUOTE_RULES,
    **DATE_RULES,
    **ENTITY_RULES,
    **NAME_RULES,
    "publisher-from-url": (0.5, "the publisher, read from the article URL's host"),
    "publisher-placeholder": (0.0, "no --publisher and no URL: a placeholder to replace"),
}

#: The longest article body drafted, in characters: far beyond any news story,
#: and it keeps the work bounded for any input.
MAX_CHARACTERS = 1_000_000

_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.I)
_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


class DraftingError(StoryfactsError, ValueError):
    """The article or an option cannot be drafted from; ``field`` names which."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


def _published(value: str | dt.date) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise DraftingError(
        "published",
        f"{value!r} is not a date; give the publication date as YYYY-MM-DD, such as 2023-03-22.",
    )


def _known(sources: Iterable[Dataset | str | Path]) -> list[Dataset]:
    from ..loading import load

    out: list[Dataset] = []
    for source in sources:
        try:
            out.append(load(source))
        except InvalidDatasetError as error:
            raise DraftingError(
                "known",
                f"{error.source or 'a known dataset'} is not a valid dataset "
                f"({len(error.problems)} problems; run storyfacts validate on it).",
            ) from None
    return out


def draft(
    text: str,
    *,
    published: str | dt.date,
    url: str | None = None,
    publisher: str | None = None,
    headline: str | None = None,
    known: Iterable[Dataset | str | Path] = (),
    language: str = "en",
    modified: str | dt.datetime | None = None,
) -> Dataset:
    """Draft a starter dataset from an article's text.

    ``published`` (a date or ``YYYY-MM-DD``) is what relative dates are
    resolved against. ``known`` datasets (or their paths) lend their entities:
    a name or alias of theirs found in the text is proposed with its id.
    Without ``url`` the article gets a placeholder address under
    ``https://example.invalid/`` to correct. The result validates; every
    proposed entity and statement carries ``draft`` (rule and confidence).
    Raises :class:`DraftingError` naming the argument that is wrong.
    """
    if not isinstance(text, str):
        raise DraftingError("text", f"expected the article's text, got {type(text).__name__}.")
    body = text.removeprefix("\ufeff")
    if not body.strip():
        raise DraftingError("text", "the article is empty; give the text of a news story.")
    if len(body) > MAX_CHARACTERS:
        raise DraftingError(
            "text",
            f"the article has {len(body):,} characters; the drafter takes at most "
            f"{MAX_CHARACTERS:,}.",
        )
    day = _published(published)
    if url is not None and not _URL.match(url):
        raise DraftingError("url", f"{url!r} is not an http or https address.")
    if not _LANGUAGE.match(language):
        raise DraftingError("language", f"{language!r} is not a language tag such as en or en-GB.")
    for name, value in (("publisher", publisher), ("headline", headline)):
        if value is not None and (not value.strip() or "\n" in value):
            raise DraftingError(name, "give one non-empty line of text.")
    if modified is None:
        modified = dt.datetime.now(dt.UTC).replace(microsecond=0)
    if isinstance(modified, dt.datetime):
        if modified.tzinfo is None:
            raise DraftingError("modified", "give a time zone, such as UTC.")
        modified = modified.isoformat().replace("+00:00", "Z")
    return assemble(
        body,
        published=day,
        url=url,
        publisher=publisher.strip() if publisher else None,
        headline=headline.strip() if headline else None,
        known=_known(known),
        language=language,
        modified=modified,
    )
