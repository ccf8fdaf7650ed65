"""From a speaker phrase to an entity: names, titles, surnames and pronouns.

"Putin" after "Vladimir Putin" is the same person; "he" is the last person
who spoke or was named; "it" the last organisation or group named before the
quote; a phrase that names nothing known ("the joint statement", "officials")
becomes a group of its own, for the editor to merge or rename.
"""

from __future__ import annotations

import functools
import re

from .. import references
from .. import schema as _schema
from .entities import ENTITY_RULES, Candidate, Registry, normal
from .names import TITLES, _guess, _split_title
from .passages import Span, Spans

__all__ = ["resolve_speaker"]

_PERSONAL = frozenset({"he", "she", "i"})
_PERSON = frozenset({"person"})
_COLLECTIVE = frozenset({"it", "they", "we"})


@functools.cache
def _collective_speakers() -> frozenset[str]:
    """The kinds a quote's speaker may be, less a person: what "it" and "they" can name."""
    allowed = references.targets(_schema.properties_of("Quote")["speaker"]) or frozenset()
    return frozenset(allowed - {"person"})


def _last_mentioned(
    registry: Registry, before: int, types: frozenset[str], quoted: Spans
) -> Candidate | None:
    """The candidate of those types mentioned last before ``before``, outside quotation marks.

    A name inside a quote ("Tamirat is a great champion," he said) is who the
    speaker talks about, not who "he" is.
    """
    for start, candidate in registry.mentions_before(before):
        if candidate.type in types and quoted.holding(start) is None:
            return candidate
    return None


def resolve_speaker(
    body: str,
    phrase: Span,
    registry: Registry,
    last_speaker: Candidate | None,
    quoted: Spans | None = None,
) -> Candidate:
    """The candidate a speaker phrase names, proposing one when nothing matches.

    "he" or "she" is the person named last before it outside quotes (news copy
    names a new speaker just before "he said"), else the last speaker.
    """
    quoted = quoted or Spans()
    text = phrase.text(body).strip()
    word = text.casefold()
    if word in _PERSONAL:
        found = _last_mentioned(registry, phrase.start, _PERSON, quoted)
        if found is not None:
            return found
        if last_speaker is not None and last_speaker.type == "person":
            return last_speaker
    if word in _COLLECTIVE:
        found = _last_mentioned(registry, phrase.start, _collective_speakers(), quoted)
        if found is not None:
            return found
        if last_speaker is not None:
            return last_speaker
    found = registry.find(text)
    title, person = _split_title(text.split())
    if found is None and title and person:
        # "Chief Executive Borje Ekholm": the person, with the title as a role.
        found = registry.find(" ".join(person)) or registry.propose(
            " ".join(person), "person", "title-person", 0.8
        )
        if " ".join(title) not in found.roles:
            found.roles.append(" ".join(title))
    if found is None:
        words = text.split()
        if len(words) == 1:
            found = registry.surname_of(words[0])
        # "Russian President Vladimir Putin", "state media TASS": the name is the tail.
        for i in range(1, len(words)):
            if found is not None:
                break
            tail = " ".join(words[i:])
            if words[i - 1] in TITLES or words[i][:1].isupper():
                found = registry.find(tail)
                if found is None and words[i - 1] in TITLES:
                    found = registry.propose(tail, "person", "title-person", 0.8)
    if found is None:
        capitalised = all(w[:1].isupper() for w in text.split() if w not in ("of", "for"))
        guess = _guess(text.split(), body[max(0, phrase.start - 12) : phrase.start])
        if capitalised and guess is not None and guess[0] != "place":
            kind, rule = guess
            from .names import RULES as NAME_RULES

            found = registry.propose(text, kind, rule, NAME_RULES[rule][0])
        else:
            name = re.sub(r"^(?:the|a|an)\s+", "", text, flags=re.I)
            found = registry.find(name) or registry.propose(
                name, "group", "speaker-phrase", ENTITY_RULES["speaker-phrase"][0]
            )
    if normal(text) not in _PERSONAL | _COLLECTIVE:
        registry.mention(found, phrase)
    return found
