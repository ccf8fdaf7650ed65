"""Reading an exporter's output as a user would: its media types, and the text in it."""

from __future__ import annotations

import json
import mimetypes
import re
import unicodedata
from typing import Any

from ..model import Dataset, Quote

__all__ = ["is_json", "is_text_media_type", "media_types_for", "script_texts", "searchable"]

# Extensions whose media types are settled, and whether those are text or
# binary. Other extensions are looked up in Python's built-in table (not the
# system's, which differs from machine to machine).
_MEDIA_TYPES = """
.json      text    application/json
.jsonld    text    application/ld+json
.ndjson    text    application/x-ndjson application/ndjson
.jsonl     text    application/jsonl application/x-ndjson application/ndjson
.geojson   text    application/geo+json
.csv       text    text/csv
.tsv       text    text/tab-separated-values
.md        text    text/markdown
.markdown  text    text/markdown
.txt       text    text/plain
.html      text    text/html
.xml       text    application/xml text/xml
.ics       text    text/calendar
.vcf       text    text/vcard
.yaml      text    application/yaml text/yaml
.yml       text    application/yaml text/yaml
.ttl       text    text/turtle
.nt        text    application/n-triples
.nq        text    application/n-quads
.rdf       text    application/rdf+xml
.xlsx      binary  application/vnd.openxmlformats-officedocument.spreadsheetml.sheet
.ods       binary  application/vnd.oasis.opendocument.spreadsheet
.zip       binary  application/zip
.pdf       binary  application/pdf
"""
_KNOWN_TYPES = {
    ext: frozenset(types)
    for ext, _, *types in (line.split() for line in _MEDIA_TYPES.strip().splitlines())
}
_TEXT_TYPES = frozenset(
    t for line in _MEDIA_TYPES.strip().splitlines() if " text " in line for t in line.split()[2:]
)
_FOLDED_TYPES = frozenset({"text/calendar", "text/vcard"})


def media_types_for(extension: str) -> frozenset[str]:
    """The media types that fit a file extension such as ``".csv"``; empty when unknown."""
    extension = extension.lower()
    if extension in _KNOWN_TYPES:
        return _KNOWN_TYPES[extension]
    guessed, _ = mimetypes.MimeTypes().guess_type(f"file{extension}", strict=False)
    return frozenset({guessed}) if guessed else frozenset()


def is_text_media_type(media_type: str) -> bool:
    """Whether output of this media type is text (UTF-8) rather than binary."""
    media_type = media_type.lower()
    return (
        media_type.startswith("text/")
        or media_type in _TEXT_TYPES
        or media_type.endswith(("+json", "+xml"))
    )


def is_json(media_type: str) -> bool:
    return media_type == "application/json" or media_type.endswith("+json")


def searchable(text: str, media_type: str) -> str:
    """The text as a reader sees it: calendar lines unfolded, JSON strings unescaped."""
    if media_type.lower() in _FOLDED_TYPES:
        return re.sub(r"\r?\n[ \t]", "", text)
    if is_json(media_type):
        strings: list[str] = []
        stack: list[Any] = [json.loads(text)]
        while stack:
            value = stack.pop()
            if isinstance(value, str):
                strings.append(value)
            elif isinstance(value, dict):
                stack.extend(value.keys())
                stack.extend(value.values())
            elif isinstance(value, list):
                stack.extend(value)
        return "\n".join([text, *strings])
    return text


def _script_of(text: str) -> str | None:
    for script in ("CYRILLIC", "CJK"):
        if any(unicodedata.name(ch, "").startswith(script) for ch in text):
            return {"CYRILLIC": "Cyrillic", "CJK": "Chinese"}[script]
    if any(ord(ch) > 127 and unicodedata.name(ch, "").startswith("LATIN") for ch in text):
        return "Latin"
    return None


def script_texts(dataset: Dataset) -> dict[str, set[str]]:
    """The dataset's non-ASCII names, quotes and headlines, grouped by script."""
    texts = [e.name for e in dataset.entities]
    texts += [s.text for s in dataset.statements if isinstance(s, Quote)]
    texts += [a.headline for a in dataset.articles]
    out: dict[str, set[str]] = {}
    for text in texts:
        script = _script_of(text)
        if script:
            out.setdefault(script, set()).add(unicodedata.normalize("NFC", text))
    return out
