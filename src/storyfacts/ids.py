"""Ids made from names: ``Xi Jinping`` becomes ``xi-jinping``.

An id follows the schema's ``Id`` pattern: lower-case letters a-z, digits and
single hyphens, at most 200 characters. Accents are taken off the letters
they sit on (``Müller`` gives ``muller``), apostrophes are dropped
(``Côte d'Ivoire`` gives ``cote-divoire``) and every other run of characters
becomes one hyphen. A name with nothing left after that (one written only
in Cyrillic or Chinese, say) cannot make an id: give one yourself.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["ID_PATTERN", "MAX_ID_LENGTH", "id_from_name"]

ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*\Z")
"""The schema's ``Id`` pattern (a test keeps the two the same)."""

MAX_ID_LENGTH = 200

# Latin letters that Unicode does not decompose into a base letter and an accent.
_LETTERS = str.maketrans(
    {"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"}
)
_APOSTROPHES = re.compile(r"['’ʼ`]")
_OTHER = re.compile(r"[^a-z0-9]+")


def id_from_name(name: str) -> str:
    """The id made from ``name``; :class:`ValueError` when it has no letter a-z or digit to use."""
    if not isinstance(name, str):
        raise TypeError(f"An id is made from a name, which is text; got {type(name).__name__}.")
    folded = unicodedata.normalize("NFKD", name.lower().translate(_LETTERS))
    plain = "".join(c for c in folded if not unicodedata.combining(c))
    slug = _OTHER.sub("-", _APOSTROPHES.sub("", plain).lower()).strip("-")
    if len(slug) > MAX_ID_LENGTH:
        slug = slug[:MAX_ID_LENGTH].rstrip("-")
    if not slug:
        raise ValueError(
            f"Cannot make an id from the name {name!r}: it has no letter a-z or digit "
            "once accents are taken off; give the id yourself, such as id='xi-jinping'."
        )
    return slug
