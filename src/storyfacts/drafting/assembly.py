"""Putting a draft together: the article, its candidates, quotes and dates as one Dataset.

Every proposed entity and statement carries a :class:`~storyfacts.model.Draft`
with the rule that proposed it and that rule's confidence. The publication
date is recorded as a source, which every resolved date cites. The result
validates: each quote stands word for word in its evidence, and each
evidence passage is at its offsets. Its lists are
:class:`~storyfacts.edits.WatchedList`, as a loaded dataset's are, so that
once found valid it is known unchanged until edited (storyfacts.validity).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from ..edits import watched
from ..model import (
    ENTITY_TYPES,
    Article,
    Dataset,
    Draft,
    Entity,
    Event,
    Evidence,
    PartialDate,
    Quote,
    Source,
)
from ..schema import SCHEMA_VERSION
from .attribution import SCARE_QUOTE, attribute
from .dates import date_mentions
from .entities import Candidate, Registry, facts_of, slug
from .passages import Span, Spans, paragraphs, sentence_around, sentence_starts, sentences
from .quotes import quotations
from .speakers import resolve_speaker

__all__ = ["assemble"]

PLACEHOLDER_HOST = "https://example.invalid/"


class _Ids:
    """Unique ids across the draft: a second "putin" becomes "putin-2"."""

    def __init__(self, taken: Iterable[str] = ()) -> None:
        self.taken = set(taken)

    def make(self, base: str) -> str:
        candidate, n = base, 1
        while candidate in self.taken:
            n += 1
            candidate = f"{base}-{n}"
        self.taken.add(candidate)
        return candidate


def _headline(body: str) -> str:
    first = next(iter(paragraphs(body)))
    sentence = next(iter(sentences(body, first))).text(body)
    return sentence if len(sentence) <= 120 else sentence[:119].rstrip() + "…"


def _evidence(article: str, body: str, span: Span) -> Evidence:
    return Evidence(article=article, start=span.start, end=span.end, text=span.text(body))


def _short(text: str, words: int = 12) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")


def assemble(
    body: str,
    *,
    published: dt.date,
    url: str | None,
    publisher: str | None,
    headline: str | None,
    known: list[Dataset],
    language: str,
    modified: str,
) -> Dataset:
    ids = _Ids()
    headline = headline or _headline(body)
    article_id = ids.make(slug(headline, 50))
    starts = sentence_starts(body)

    registry = Registry()
    for dataset in known:
        registry.know(dataset.entities)
    registry.scan(body, starts)

    found = quotations(body)
    attributions = attribute(body, found)
    quoted = Spans(q.marks for q in found)
    speakers: list[Candidate | None] = []
    reporters: list[Candidate | None] = []
    last: Candidate | None = None
    for attribution in attributions:
        speaker: Candidate | None = None
        if attribution.speaker is not None:
            speaker = resolve_speaker(body, attribution.speaker, registry, last, quoted)
            if attribution.role is not None:
                role = attribution.role.text(body).strip()
                if speaker.type == "person" and role not in speaker.roles:
                    speaker.roles.append(role)
        elif attribution.same_as is not None:
            speaker = speakers[attribution.same_as]
        speakers.append(speaker)
        reporter = _reporter_of(body, attribution.reporter, registry)
        if reporter is None and attribution.same_as is not None:
            reporter = reporters[attribution.same_as]  # a continued quote, passed on alike
        reporters.append(reporter)
        last = speaker or last

    publisher_candidate = _publisher(registry, publisher, url)

    # Ids: known entities keep theirs; the rest are made from their names.
    entities: list[Entity] = []
    for candidate in registry.candidates:
        if not candidate.mentions and candidate is not publisher_candidate:
            continue
        base = candidate.known.id if candidate.known is not None else slug(candidate.name)
        candidate.id = ids.make(base)
        entities.append(_entity(candidate, article_id, body))

    unknown: Candidate | None = None
    statements: list[Any] = []
    for quote, attribution, speaker, reporter in zip(
        found, attributions, speakers, reporters, strict=True
    ):
        if attribution.rule == SCARE_QUOTE:
            continue
        if speaker is None:
            if unknown is None:
                unknown = Candidate(
                    type="group", name="Unknown speaker", rule="nearest-speaker", confidence=0.3
                )
                unknown.id = ids.make("unknown-speaker")
                entities.append(
                    ENTITY_TYPES["group"](
                        id=unknown.id,
                        name=unknown.name,
                        description="A placeholder for quotes whose speaker the draft did not "
                        "find: set each quote's speaker and delete this record.",
                        draft=Draft(rule="nearest-speaker", confidence=0.3),
                    )
                )
            speaker = unknown
        passages = [attribution.evidence]
        if attribution.same_as is not None:
            named = attributions[attribution.same_as]
            # The passage that names the speaker, when it is another quote's.
            while named.speaker is None and named.same_as is not None:
                named = attributions[named.same_as]
            if named.evidence not in passages:
                passages.append(named.evidence)
        words = quote.words.text(body)
        statements.append(
            Quote(
                id=ids.make(f"quote-{len(statements) + 1}-{slug(words, 40)}"),
                summary=f"{speaker.name}: “{_short(words)}”",
                text=words,
                speaker=speaker.id,
                reported_by=reporter.id if reporter is not None and reporter.id else None,
                evidence=watched([_evidence(article_id, body, p) for p in passages]),
                draft=Draft(rule=attribution.rule, confidence=attribution.confidence),
            )
        )

    source_id = ids.make(f"{article_id}-publication")
    in_paragraphs = Spans(paragraphs(body))
    for n, mention in enumerate(date_mentions(body, published), start=1):
        phrase = mention.span.text(body)
        paragraph = in_paragraphs.holding(mention.span.start) or mention.span
        sentence = sentence_around(body, paragraph, mention.span.start).text(body)
        entities.append(
            Event(
                id=ids.make(f"event-{slug(phrase, 30)}"),
                name=f"Event {n}: {_short(sentence, 10)}",
                description=f"Drafted from the date phrase “{phrase}” "
                f"({mention.value}, known to the {mention.precision}); name the event, "
                "or delete it if the date belongs to another record.",
                start=PartialDate(
                    value=mention.value,
                    precision=mention.precision,  # type: ignore[arg-type]
                    phrase=phrase,
                    source=source_id if mention.relative else None,
                    inferred=True if mention.relative else None,
                ),
                evidence=watched([_evidence(article_id, body, mention.span)]),
                draft=Draft(rule=mention.rule, confidence=mention.confidence),
            )
        )

    article_url = url or f"{PLACEHOLDER_HOST}{article_id}"
    article = Article(
        id=article_id,
        headline=headline,
        url=article_url,
        publisher=publisher_candidate.id,
        published=PartialDate(value=published.isoformat(), precision="day"),
        language=language,
        body=body,
    )
    source = Source(
        id=source_id,
        title=f"Publication date of “{_short(headline, 16)}”",
        url=url,
        publisher=publisher_candidate.name,
        published=PartialDate(value=published.isoformat(), precision="day"),
        note="The article's relative dates (such as “next week” or “from April”) were "
        f"resolved against its publication date, {published.isoformat()}.",
    )
    return Dataset(
        schema_version=SCHEMA_VERSION,
        id=slug(headline, 50),
        title=headline,
        modified=modified,
        articles=watched([article]),
        entities=watched(entities),
        statements=watched(statements),
        sources=watched([source]),
    )


def _reporter_of(body: str, phrase: Span | None, registry: Registry) -> Candidate | None:
    """The organisation a quote was passed on by, if the phrase names one already found.

    "told TASS" names a news agency; "told Biden" names an audience, not a
    reporter, so only an organisation counts, and none is made up here.
    """
    if phrase is None:
        return None
    words = phrase.text(body).split()
    for i in range(len(words)):
        found = registry.find(" ".join(words[i:]))
        if found is not None:
            return found if found.type == "organization" else None
    return None


def _publisher(registry: Registry, name: str | None, url: str | None) -> Candidate:
    """The publisher: named, or read from the URL's host, or a placeholder to fill in."""
    if name:
        found = registry.find(name) or registry.propose(name, "organization", "publisher", 1.0)
        found.confidence = max(found.confidence, 1.0) if found.known is None else found.confidence
        found.rule = "publisher" if found.known is None else found.rule
        return found
    host = urlsplit(url).hostname if url else None
    if host:
        host = re.sub(r"^www\.", "", host)
        return registry.find(host) or registry.propose(
            host, "organization", "publisher-from-url", 0.5
        )
    return registry.propose("Unknown publisher", "organization", "publisher-placeholder", 0.0)


def _entity(candidate: Candidate, article_id: str, body: str) -> Entity:
    cls = ENTITY_TYPES[candidate.type]
    fields: dict[str, Any] = {
        "id": candidate.id,
        "name": candidate.name,
    }
    aliases = [a for a in dict.fromkeys(candidate.aliases) if a != candidate.name and "\n" not in a]
    if aliases:
        fields["aliases"] = aliases
    if candidate.known is not None and type(candidate.known) is cls:
        fields.update(facts_of(candidate.known))
    if candidate.type == "person" and candidate.roles:
        fields["roles"] = list(dict.fromkeys([*fields.get("roles", []), *candidate.roles]))
    if candidate.type == "country" and candidate.iso_code and "iso_code" not in fields:
        fields["iso_code"] = candidate.iso_code
    if candidate.type == "organization" and candidate.rule.startswith("publisher"):
        fields.setdefault("kind", "publisher")
    mentions = sorted(set(candidate.mentions), key=lambda s: s.start)
    if mentions:
        fields["evidence"] = [_evidence(article_id, body, s) for s in mentions]
    confirmed = candidate.rule == "publisher"
    if not confirmed:
        fields["draft"] = Draft(rule=candidate.rule, confidence=candidate.confidence)
    for name, value in fields.items():
        if type(value) is list:  # aliases, roles, evidence
            fields[name] = watched(value)
    entity: Entity = cls(**fields)
    return entity
