"""Candidate entities: names already known, countries, and capitalised names.

Each candidate gathers its mentions (the passages that become its evidence)
and remembers the strongest rule that proposed it. Names from ``--known``
datasets come first, aliases included, then countries from the country list,
then capitalised names the body itself suggests; a later rule never takes a
passage an earlier one explained.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable, Iterator

import attrs

from ..model import Country, Entity, Event, Organization, Person
from .countries import country_names
from .names import NameMention, dateline, name_mentions
from .passages import Span, Spans

__all__ = ["ENTITY_RULES", "Candidate", "Registry", "slug"]

#: Rule name -> (confidence, what it matches), beyond those of names.RULES.
ENTITY_RULES: dict[str, tuple[float, str]] = {
    "known-name": (0.95, "a name or alias of an entity in a --known dataset"),
    "country-list": (0.9, "a country name from ISO 3166 (pycountry) or its news name"),
    "speaker-phrase": (0.5, "who a quote is attributed to, when no name above matches"),
}

_ARTICLES = re.compile(r"^(?:the|a|an)\s+", re.I)
# The run of letters and digits a name starts with, to index names by.
_WORD = re.compile(r"\w+")


def _continues(body: str, end: int) -> bool:
    """Whether the word goes on at ``end``, so a name ending there would cut it."""
    return end < len(body) and (body[end].isalnum() or body[end] in "-_")


def slug(text: str, limit: int = 60) -> str:
    """An id made from a name: lower-case ASCII letters and digits joined by hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    out = ""
    for word in words:
        if len(out) + len(word) + 1 > limit:
            break
        out = f"{out}-{word}" if out else word
    return out or "record"


def normal(name: str) -> str:
    """A name as names are compared: case folded, without a leading article or possessive."""
    name = re.sub(r"(?:'s|’s)$", "", name.strip())
    return " ".join(_ARTICLES.sub("", name).casefold().split())


@attrs.define
class Candidate:
    """An entity the draft proposes, with every passage that mentions it."""

    type: str
    name: str
    rule: str
    confidence: float
    aliases: list[str] = attrs.field(factory=list)
    mentions: list[Span] = attrs.field(factory=list)
    roles: list[str] = attrs.field(factory=list)
    iso_code: str | None = None
    #: The entity of a --known dataset this candidate is, if any.
    known: Entity | None = None
    id: str = ""

    def names(self) -> list[str]:
        return [self.name, *self.aliases]


class Registry:
    """The candidates of one draft, found by any of their names."""

    def __init__(self) -> None:
        self.candidates: list[Candidate] = []
        self._by_name: dict[str, Candidate] = {}
        # Every mention as (start, candidate number), in body order.
        self._index: list[tuple[int, int]] = []
        self._number: dict[int, int] = {}
        self._seen: set[tuple[int, Span]] = set()
        self._known: dict[str, Entity] = {}

    def know(self, entities: Iterable[Entity]) -> None:
        """Entities of --known datasets: proposed only where the body mentions them."""
        for entity in entities:
            for name in [entity.name, *(entity.aliases or [])]:
                self._known.setdefault(name, entity)

    def mention(self, candidate: Candidate, span: Span) -> None:
        """Record that ``span`` of the body mentions ``candidate``."""
        number = self._number[id(candidate)]
        if (number, span) in self._seen:
            return
        self._seen.add((number, span))
        candidate.mentions.append(span)
        bisect.insort(self._index, (span.start, number))

    def mentions_before(self, offset: int) -> Iterator[tuple[int, Candidate]]:
        """(start, candidate) of every mention starting before ``offset``, nearest first."""
        i = bisect.bisect_left(self._index, (offset, -1))
        for j in range(i - 1, -1, -1):
            start, n = self._index[j]
            yield start, self.candidates[n]

    def find(self, name: str) -> Candidate | None:
        return self._by_name.get(normal(name))

    def add_name(self, candidate: Candidate, name: str) -> None:
        if name != candidate.name and name not in candidate.aliases:
            candidate.aliases.append(name)
        self._by_name.setdefault(normal(name), candidate)

    def propose(
        self, name: str, type_: str, rule: str, confidence: float, span: Span | None = None
    ) -> Candidate:
        """The candidate of that name, made if new; a stronger rule sets its type."""
        found = self.find(name)
        if found is None:
            found = Candidate(type=type_, name=name, rule=rule, confidence=confidence)
            self._number[id(found)] = len(self.candidates)
            self.candidates.append(found)
            self._by_name[normal(name)] = found
        elif confidence > found.confidence and found.known is None:
            found.type, found.rule, found.confidence = type_, rule, confidence
        if span is not None:
            self.mention(found, span)
        return found

    def surname_of(self, word: str) -> Candidate | None:
        """The person whose full name ends with ``word``, or else starts with it, if one does.

        The first name counts too: "Xi" is Xi Jinping, whose family name comes first,
        and a runner may be called by her given name.
        """
        people = [c for c in self.candidates if c.type == "person" and len(c.name.split()) > 1]
        for position in (-1, 0):
            matches = [c for c in people if c.name.split()[position] == word]
            if len(matches) == 1:
                return matches[0]
        return None

    # Finding candidates in a body ---------------------------------------------

    def scan(self, body: str, sentence_starts: frozenset[int]) -> None:
        taken = Spans()
        self._scan_known(body, taken)
        self._scan_countries(body, taken)
        self._scan_names(body, sentence_starts, taken)

    def _scan_known(self, body: str, taken: Spans) -> None:
        # Names by their first word, longest first: one pass over the body's
        # words, however many names the --known datasets hold.
        by_first: dict[str, list[str]] = {}
        for name in sorted(self._known, key=len, reverse=True):
            first = _WORD.match(name)
            if first:
                by_first.setdefault(first.group(), []).append(name)
        for word in _WORD.finditer(body):
            for name in by_first.get(word.group(), ()):
                start = word.start()
                end = start + len(name)
                if not body.startswith(name, start) or _continues(body, end):
                    continue
                if start > 0 and (body[start - 1].isalnum() or body[start - 1] in "-_"):
                    continue
                span = Span(start, end)
                if taken.overlaps(span):
                    continue
                taken.add(span)
                entity = self._known[name]
                candidate = self.find(entity.name)
                if candidate is None:
                    candidate = self.propose(entity.name, entity.type, "known-name", 0.95)
                    candidate.known = entity
                    for alias in entity.aliases or []:
                        self.add_name(candidate, alias)
                self.mention(candidate, span)
                break

    def _scan_countries(self, body: str, taken: Spans) -> None:
        names = country_names()
        pattern = re.compile(
            r"(?<![\w-])(?:"
            + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
            + r")(?![\w-])(?!\s+[A-Z])"  # "Mexico City" is a city, not Mexico
        )
        for match in pattern.finditer(body):
            span = Span(*match.span())
            if taken.overlaps(span):
                continue
            taken.add(span)
            code, preferred = names[match.group()]
            candidate = self.find(preferred) or self.find(match.group())
            if candidate is None:
                candidate = self.propose(preferred, "country", "country-list", 0.9)
                candidate.iso_code = code
            if match.group() != candidate.name:
                self.add_name(candidate, match.group())
            self.mention(candidate, span)

    def _scan_names(self, body: str, sentence_starts: frozenset[int], taken: Spans) -> None:
        previous: Candidate | None = None
        previous_end = -1
        opening = dateline(body)
        if opening is not None and not taken.overlaps(opening.span):
            taken.add(opening.span)
            self.propose(opening.name, opening.type, opening.rule, opening.confidence, opening.span)
        for mention in name_mentions(body, sentence_starts):
            if taken.overlaps(mention.span):
                previous = None
                continue
            between = body[previous_end : mention.span.start]
            if (
                previous is not None
                and mention.rule == "acronym"
                and _bracketed(between, body, mention)
            ):
                self.add_name(previous, mention.name)
                self.mention(previous, mention.span)
                continue
            candidate = self._candidate_for(mention)
            if candidate is None:
                previous = None
                continue
            if mention.role and mention.role not in candidate.roles:
                candidate.roles.append(mention.role)
            previous, previous_end = candidate, mention.span.end

    def _candidate_for(self, mention: NameMention) -> Candidate | None:
        found = self.find(mention.name)
        if found is None and len(mention.name.split()) == 1:
            found = self.surname_of(mention.name)
            if found is not None:
                self.add_name(found, mention.name)
        if found is not None:
            self.mention(found, mention.span)
            return found
        if not mention.type:
            return None
        return self.propose(
            mention.name, mention.type, mention.rule, mention.confidence, mention.span
        )


def _bracketed(between: str, body: str, mention: NameMention) -> bool:
    """Whether an acronym stands in brackets right after the name before it: "Committee's (IOC)"."""
    after = body[mention.span.end : mention.span.end + 1]
    return bool(re.fullmatch(r"(?:'s|’s)?\s*\(", between)) and after == ")"


def facts_of(known: Entity) -> dict[str, object]:
    """What a known entity brings that needs no other record: no references are copied."""
    facts: dict[str, object] = {}
    if known.description:
        facts["description"] = known.description
    if known.wikidata:
        facts["wikidata"] = known.wikidata
    if isinstance(known, Person) and known.roles:
        facts["roles"] = list(known.roles)
    if isinstance(known, Organization | Event) and known.kind:
        facts["kind"] = known.kind
    if isinstance(known, Country) and known.iso_code:
        facts["iso_code"] = known.iso_code
    return facts
