"""Capitalised names in running text, and a guess at what each names.

A name is a run of capitalised words, joined by "of", "of the" or "for"
("Association of National Olympic Committees of Africa"). Its type is guessed
from the words in it and around it: a title before it makes a person
("Russian President Vladimir Putin"), an organisation word at its head makes
an organisation ("Committee", "Federation"), an event word an event
("Games", "Championships", or a name and a year: "Paris 2024"), a
preposition of place before it a place ("in Kazan"). The rule that guessed
goes into the record's draft, with its confidence (:data:`RULES`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import attrs

from .passages import Span

__all__ = ["RULES", "NameMention", "name_mentions"]

#: Rule name -> (confidence, what it matches), for docs/new-story.md.
RULES: dict[str, tuple[float, str]] = {
    "title-person": (0.8, "a name after a title: President Vladimir Putin"),
    "organisation-word": (0.75, "a name headed by Committee, Federation, Association..."),
    "event-word": (0.7, "a name headed by Games, Championships, Summit..., or Paris 2024"),
    "acronym": (0.6, "a word in capitals: IOC, TASS"),
    "place-preposition": (0.5, "a name after in, at or near: in Kazan"),
    "proper-name": (0.45, "two or three capitalised words with no other clue: a person"),
    "single-word": (
        0.3,
        "a lone word capitalised mid-sentence with no other clue (Nokia): an organisation, "
        "unless it is the surname or first name of a person named in full",
    ),
    "dateline": (0.8, "the place a wire story's dateline names: BRUSSELS (Reuters) -"),
}


def _vocabulary(words: str) -> frozenset[str]:
    return frozenset(words.split())


TITLES = _vocabulary(
    "President Presidents Minister Ministers Chancellor Secretary Chairman Chairwoman "
    "Chair Director CEO Governor Mayor King Queen Prince Princess Pope General Senator "
    "Ambassador Spokesman Spokeswoman Spokesperson Coach Captain Judge Premier "
    "Commissioner Leader Sheikh Emir Sultan Mr Mrs Ms Dr Sir Dame Lord Lady Chief Executive "
    "Officer"
)
ORGANISATION_WORDS = _vocabulary(
    "Committee Committees Federation Association Council Organisation Organization Board "
    "Union Ministry Department Agency Bank Forum Party Commission Institute University "
    "College School Company Corporation Corp Inc Ltd Group Club League Foundation Fund "
    "Court Parliament Assembly Congress Senate Government Office Service Police Army Navy "
    "Force Images News Times Post Press Network Authority Alliance Coalition Movement "
    "Society Trust Reuters Agence FC Team Unit Secretariat Cabinet Kremlin Confederation "
    "Bureau Nations Programme Program"
)
EVENT_WORDS = _vocabulary(
    "Games Olympics Paralympics Olympiad Championships Championship Cup Summit Conference "
    "Festival Tournament Open Series Marathon Expo Election Elections War Final Finals "
    "Congress Meeting Talks Convention Forum Week Prix"
)
# Words that start a sentence or stand capitalised without naming anything.
_NOT_NAMES = _vocabulary(
    "The A An This That These Those It Its He She They We I You There Here But And Or So "
    "If When While As After Before Of In On At For From To By With Without Meanwhile "
    "However Also Yet Still Some Many Most All Both Each Every No Not His Her Their Our "
    "My Your What Who Why How Which Where Than Then Now Today Yesterday Tomorrow Last "
    "Next Earlier Later Since Until Under Over About Among Despite Although Because Even "
    "Just Only Such Other Another Mr Mrs Ms Dr"
)
_MONTH_AND_DAY = _vocabulary(
    "January February March April May June July August September October November "
    "December Monday Tuesday Wednesday Thursday Friday Saturday Sunday"
)
# Nationality and other adjectives: "Russian", "Chinese", "Western", "Olympic".
_ADJECTIVE = re.compile(r"(?:ians?|eans?|ese|ish|ern|ic|ical|icans?|yans?)$")
_GENERIC_HEADS = (EVENT_WORDS | ORGANISATION_WORDS) - {
    "Olympics",
    "Paralympics",
    "Reuters",
    "Kremlin",
}
# "to" is left out: "according to Eurostat" is commoner in news than "went to Paris".
_PLACE_BEFORE = re.compile(r"(?:\b(?:in|at|near|from|city|capital|town)\s+)$")
_WORD = r"(?:[A-Z][\w’'.&-]*[\w’']|[A-Z])"
_JOIN = r"(?:\s+(?:of|for|on|of\s+the|for\s+the|on\s+the|de|du|des|der|von|van|al|bin)(?=\s+[A-Z]))"
_RUN = re.compile(rf"{_WORD}(?:(?:{_JOIN})?\s+{_WORD})*(?:\s+(?:19|20)\d\d\b)?")
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")
_OWNER = re.compile(r"(?P<owner>[A-Z][\w.-]*)(?P<mark>'s|’s)\s+(?P<rest>[A-Z].*)$")
_PLURAL_OWNERS = frozenset({"Women", "Men", "Children", "People"})


@attrs.frozen
class NameMention:
    """A capitalised name in the body, with the type guessed for it."""

    span: Span
    name: str
    type: str
    rule: str
    #: The title or description before the name ("Russian President"), if any.
    role: str | None = None
    #: A sentence-initial word seen nowhere else capitalised: weaker evidence.
    initial: bool = False

    @property
    def confidence(self) -> float:
        return RULES[self.rule][0]


def _head(words: list[str]) -> str:
    """The head noun of a name: the last word before "of", or the last word."""
    for i, word in enumerate(words):
        if word in ("of", "for", "on") and i:
            return words[i - 1]
    return words[-1]


def _guess(words: list[str], before: str) -> tuple[str, str] | None:
    head = _POSSESSIVE.sub("", _head(words))
    if re.fullmatch(r"(?:19|20)\d\d", words[-1]) and len(words) > 1:
        return "event", "event-word"
    if head in EVENT_WORDS and head not in ("Congress", "Forum"):
        return "event", "event-word"
    if head in ORGANISATION_WORDS or any(w in ("Committee", "Federation") for w in words):
        return "organization", "organisation-word"
    if len(words) == 1 and re.fullmatch(r"[A-Z][A-Z&.]{1,6}", words[0]):
        return "organization", "acronym"
    if _PLACE_BEFORE.search(before):
        return "place", "place-preposition"
    if 2 <= len(words) <= 3:
        return "person", "proper-name"
    return None


def _split_title(words: list[str]) -> tuple[list[str], list[str]]:
    """(title words, name words): "Russian President Vladimir Putin" -> the two halves."""
    last = max((i for i, w in enumerate(words) if w in TITLES), default=-1)
    name = words[last + 1 :]
    if name and not name[0][:1].isupper():
        # "Commissioner for Trade": the words after the title are its office, not a name.
        return words, []
    return words[: last + 1], name


def _runs(body: str, sentence_starts: frozenset[int]) -> Iterator[tuple[int, int]]:
    for match in _RUN.finditer(body):
        start = match.start()
        text = match.group()
        # Drop leading words that are not names ("The", "This").
        while True:
            first = text.split()[0] if text.split() else ""
            if first in _NOT_NAMES or first in _MONTH_AND_DAY:
                cut = len(first) + (len(text) - len(text[len(first) :].lstrip()) - len(first))
                text, start = text[cut:], start + cut
                if not text:
                    break
                continue
            break
        if not text:
            continue
        # "Ethiopia's Tamirat Tola" is two names; "Women's World Championships" one.
        for piece in _OWNER.finditer(text):
            if piece.group("owner") in _PLURAL_OWNERS or not piece.group("rest"):
                continue
            yield start, start + piece.start("rest") - len(piece.group("mark")) - 1
            text, start = piece.group("rest"), start + piece.start("rest")
            break
        text = _POSSESSIVE.sub("", text)
        if not text:
            continue
        yield start, start + len(text)


_DATELINE = re.compile(
    r"\A\s*(?P<place>[A-Z][A-Z.'’-]+(?:\s+[A-Z][A-Z.'’-]+)*)(?=\s*(?:,|\(|[–—-]))"
)


def dateline(body: str) -> NameMention | None:
    """The place of a dateline: the capitals that open a wire story ("LEEDS, England (Wire)")."""
    match = _DATELINE.match(body)
    if match is None or len(match.group("place")) < 3:
        return None
    span = Span(*match.span("place"))
    return NameMention(span, match.group("place").title(), "place", "dateline")


def name_mentions(body: str, sentence_starts: frozenset[int]) -> list[NameMention]:
    """Every capitalised name of the body with its guessed type, in body order.

    ``sentence_starts`` are the offsets where sentences begin: a single word
    there that the body never capitalises elsewhere is an ordinary word.
    """
    capitalised_inside = {
        m.group() for m in re.finditer(_WORD, body) if m.start() not in sentence_starts
    }
    found: list[NameMention] = []
    for start, end in _runs(body, sentence_starts):
        text = body[start:end]
        words = text.split()
        if all(w in _MONTH_AND_DAY or w in _NOT_NAMES for w in words):
            continue
        initial = start in sentence_starts
        if len(words) == 1 and initial and words[0] not in capitalised_inside:
            continue
        title, name = _split_title(words)
        if name and _POSSESSIVE.sub("", _head(name)) in ORGANISATION_WORDS | EVENT_WORDS:
            title, name = [], words  # "IOC Executive Board": a board, not a person "Board"
        if title:
            if not name:
                continue  # a role without a name: "the Russian and Chinese Presidents"
            offset = text.index(" ".join(name), len(" ".join(title)))
            span = Span(start + offset, end)
            found.append(
                NameMention(span, span.text(body), "person", "title-person", " ".join(title))
            )
            continue
        if len(words) == 1 and (_ADJECTIVE.search(words[0]) or words[0] in _GENERIC_HEADS):
            continue  # "Russian", "Olympic", "Games": a describing word, not a name
        guess = _guess(words, body[max(0, start - 12) : start])
        if guess is None:
            if len(words) == 1:
                # A lone word ("Putin", "Nokia"): another name of a candidate if one
                # has it as surname or first name, else a weak organisation.
                kind = "" if initial else "organization"
                found.append(
                    NameMention(Span(start, end), text, kind, "single-word", None, initial)
                )
            continue
        found.append(NameMention(Span(start, end), text, guess[0], guess[1], None, initial))
    return found
