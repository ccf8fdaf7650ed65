"""Who said it: the attribution patterns of news copy around a direct quotation.

Each rule is named (the name goes into the drafted record's ``draft.rule``)
and carries the confidence it earns; :data:`RULES` lists them for the docs.
The speaker is found as a phrase of the body here; turning the phrase into
an entity (a name, a pronoun, a surname seen before) is the assembler's job.
"""

from __future__ import annotations

import re

import attrs

from .passages import Span, sentence_around
from .quotes import Quotation

__all__ = ["RULES", "SCARE_QUOTE", "Attribution", "attribute"]

#: Rule name -> (confidence, what it matches), for docs/new-story.md.
RULES: dict[str, tuple[float, str]] = {
    "quote-speaker-verb": (0.85, '"...," Putin said. / "...," the statement said.'),
    "quote-verb-speaker": (0.85, '"...," said Thomas Bach, the president of the IOC.'),
    "speaker-verb-quote": (0.8, 'Bach said: "..." / It has indicated that "..."'),
    "according-to": (0.75, 'According to the ministry, "..." / "...," according to X.'),
    "quote-runs-on": (0.85, "a paragraph continuing a quote the paragraph before left open"),
    "paragraph-continues-speaker": (
        0.6,
        "a quote standing alone as a paragraph, after a paragraph whose quote had a speaker",
    ),
    "same-sentence-speaker": (0.8, '"...," he said, "..." : both halves of one sentence'),
    "nearest-speaker": (0.3, "no attribution found: the last speaker before the quote"),
    "speaker-stance-fragment": (
        0.5,
        'The Presidents condemned Western nations using sport for "unseemly purposes"',
    ),
    "scare-quote": (0.0, 'a few quoted words attributed to no one (a title, "so-called"): skipped'),
}

_VERBS = (
    "said|says|say|told|tells|added|adds|confirmed|confirms|stated|states|declared|declares|"
    "explained|explains|noted|notes|insisted|insists|warned|warns|wrote|writes|argued|argues|"
    "claimed|claims|announced|announces|revealed|reveals|commented|replied|replies|asked|asks|"
    "urged|urges|continued|concluded|stressed|stresses|emphasised|emphasized|acknowledged|"
    "admitted|admits|recalled|predicted|promised|suggested|suggests|indicated|indicates|"
    "reported|reports|tweeted|posted|vowed|pledged|cautioned|observed|remarked|shouted|"
    "told\\s+reporters|told\\s+journalists"
)
_AUXILIARY = r"(?:(?:has|have|had|also|already|later|then|previously|earlier|once|again)\s+)*"
_AFTER_SPEAKER_VERB = re.compile(
    rf"^\s*,?\s*(?P<speaker>[^,.;:!?\"“”]{{1,120}}?)(?:,\s*(?P<role>[^.;:!?\"“”]{{1,120}}?),)?"
    rf"\s+{_AUXILIARY}(?P<verb>{_VERBS})\b"
    r"(?:\s+(?P<told>[A-Z][\w.&'’-]*(?:\s+[A-Z][\w.&'’-]*){0,3})(?=\s*[.;,]))?",
)
# Who passed the words on: "the joint statement reported by Russian state media TASS".
_REPORTED = re.compile(
    r"\s(?:reported|quoted|cited|carried)\s+by\s+(?P<reporter>[^,.;:!?\"“”]+?)"
    r"(?=\s+(?:said|says|told|added)\b|\s*[,.;:!?]|$)"
)
_AFTER_VERB_SPEAKER = re.compile(
    rf"^\s*,?\s*(?P<verb>{_VERBS})\s+(?P<speaker>[^,.;:!?\"“”]{{1,120}}?)"
    r"(?:,\s*(?P<role>[^.;:!?\"“”]{1,160}?))?\s*(?=[.;:!?\"“”]|$)",
)
_AFTER_ACCORDING = re.compile(
    r"^\s*,?\s*according\s+to\s+(?P<speaker>[^,.;:!?\"“”]{1,120}?)\s*(?=[,.;:!?]|$)", re.I
)
_BEFORE_ACCORDING = re.compile(r"according\s+to\s+(?P<speaker>[^,.;:!?\"“”]{1,120}?)\s*,\s*$", re.I)
_BEFORE_SPEAKER_VERB = re.compile(
    rf"(?P<speaker>[^,.;:!?\"“”]{{1,120}}?)(?:,\s*(?P<role>[^.;:!?\"“”]{{1,120}}?),)?"
    rf"\s+{_AUXILIARY}(?P<verb>{_VERBS})"
    r"(?:\s+(?:(?:on|in|at|during)\s+[^,:\"“”]{1,60}|reporters|journalists|[A-Z][\w.-]+))?"
    r"(?:\s+that)?\s*[:,]?\s*$"
)
# A few quoted words inside a sentence whose named subject takes a stance on
# them: the words are that subject's, even without a verb of saying. Only a
# subject that opens the sentence counts, so a title or a scare quote in the
# middle of someone else's sentence is still skipped.
_STANCES = (
    "condemned|condemns|criticised|criticized|criticises|criticizes|denounced|denounces|"
    "welcomed|welcomes|described|describes|called|calls|accused|accuses|dismissed|dismisses|"
    "praised|praises|branded|brands|labelled|labeled|hailed|hails|rejected|rejects"
)
_BEFORE_STANCE = re.compile(
    rf"^\s*(?P<speaker>[^,.;:!?\"“”]{{1,120}}?)\s+{_AUXILIARY}(?P<verb>{_STANCES})\b[^\"“”]*$"
)
# Words that cut a speaker phrase short: what follows them describes the
# speaker or the occasion, and is not the name.
_SPEAKER_TAIL = re.compile(
    r"\s+(?:reported\s+by|quoted\s+by|cited\s+by|who|which|in\s+a\s+statement|in\s+an?\s+"
    r"(?:interview|speech|address|letter)|on\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|"
    r"Saturday|Sunday)|at\s+a|during|after|before|while)\b.*$",
    re.S,
)
#: The rule of a short quoted phrase that no one is said to have said: not drafted.
SCARE_QUOTE = "scare-quote"
_SPEAKER_STARTS = frozenset(
    {"the", "a", "an", "he", "she", "it", "they", "we", "i", "officials", "police", "critics"}
)
PRONOUNS = frozenset({"he", "she", "it", "they", "we", "i"})


@attrs.frozen
class Attribution:
    """Who said a quotation, as found in the text, and by which rule."""

    rule: str
    #: The speaker's phrase in the body (trimmed to the name), or None when
    #: the speaker is the one of an earlier quotation.
    speaker: Span | None
    #: The passage that states who said it: the quote with its attribution.
    evidence: Span
    #: An appositive describing the speaker ("the president of the IOC").
    role: Span | None = None
    #: Who passed the words on ("reported by TASS", "told Reuters"), if the text says.
    reporter: Span | None = None
    #: The index of an earlier quotation whose speaker this one shares.
    same_as: int | None = None

    @property
    def confidence(self) -> float:
        return RULES[self.rule][0]


def _trimmed(body: str, start: int, end: int) -> Span | None:
    text = body[start:end]
    cut = _SPEAKER_TAIL.search(text)
    if cut:
        text = text[: cut.start()]
    lead = len(text) - len(text.lstrip())
    text = text.strip()
    if not text or len(text.split()) > 12:
        return None
    # A speaker is a name, a noun phrase ("the ministry", "a Commission official")
    # or a pronoun; "and urged" after a quote is the sentence going on.
    first = text.split()[0]
    if not (first[:1].isupper() or first.casefold() in _SPEAKER_STARTS):
        return None
    return Span(start + lead, start + lead + len(text))


def _reporter(body: str, start: int, end: int) -> Span | None:
    """The reporter named inside a speaker phrase: "... reported by Russian state media TASS"."""
    match = _REPORTED.search(body, start, end)
    if match is None:
        return None
    return Span(match.start("reporter"), match.end("reporter"))


def _after(body: str, quote: Quotation) -> Attribution | None:
    """Attribution standing after the closing mark, in the same sentence."""
    sentence = sentence_around(body, quote.paragraph, quote.marks.end - 1)
    start = quote.marks.end
    end = max(sentence.end, start)
    tail = body[start:end]
    evidence = Span(quote.marks.start, end)
    if match := _AFTER_ACCORDING.match(tail):
        speaker = _trimmed(body, start + match.start("speaker"), start + match.end("speaker"))
        if speaker:
            return Attribution("according-to", speaker, evidence)
    if match := _AFTER_VERB_SPEAKER.match(tail):
        speaker = _trimmed(body, start + match.start("speaker"), start + match.end("speaker"))
        role = None
        if match.group("role"):
            role = Span(start + match.start("role"), start + match.end("role"))
        if (speaker and body[speaker.start].isupper()) or (speaker and _is_pronoun(body, speaker)):
            return Attribution("quote-verb-speaker", speaker, evidence, role)
    if match := _AFTER_SPEAKER_VERB.match(tail):
        speaker = _trimmed(body, start + match.start("speaker"), start + match.end("speaker"))
        role = None
        if match.group("role"):
            role = Span(start + match.start("role"), start + match.end("role"))
        if speaker:
            # "the joint statement reported by Russian state media TASS said".
            reporter = _reporter(body, start + match.start("speaker"), end)
            if match.group("told"):
                reporter = Span(start + match.start("told"), start + match.end("told"))
            return Attribution("quote-speaker-verb", speaker, evidence, role, reporter=reporter)
    return None


def _before(body: str, quote: Quotation) -> Attribution | None:
    """Attribution standing before the opening mark, in the same sentence."""
    sentence = sentence_around(body, quote.paragraph, quote.marks.start)
    start = sentence.start
    head = body[start : quote.marks.start]
    if not head.strip():
        return None
    evidence = Span(start, quote.marks.end)
    if match := _BEFORE_ACCORDING.search(head):
        speaker = _trimmed(body, start + match.start("speaker"), start + match.end("speaker"))
        if speaker:
            return Attribution("according-to", speaker, evidence)
    if match := _BEFORE_SPEAKER_VERB.search(head):
        speaker = _trimmed(body, start + match.start("speaker"), start + match.end("speaker"))
        role = None
        if match.group("role"):
            role = Span(start + match.start("role"), start + match.end("role"))
        if speaker:
            return Attribution("speaker-verb-quote", speaker, evidence, role)
    if quote.short and (match := _BEFORE_STANCE.search(head)):
        speaker = _trimmed(body, start + match.start("speaker"), start + match.end("speaker"))
        if speaker and not _is_pronoun(body, speaker):
            return Attribution("speaker-stance-fragment", speaker, evidence)
    return None


def _is_pronoun(body: str, span: Span) -> bool:
    return span.text(body).casefold() in PRONOUNS


def attribute(body: str, found: list[Quotation]) -> list[Attribution]:
    """One attribution per quotation, in the same order."""
    out: list[Attribution] = []
    last_with_speaker: int | None = None
    for i, quote in enumerate(found):
        own = Span(quote.marks.start, quote.marks.end)
        attribution: Attribution | None = None
        if quote.continues and i > 0:
            attribution = Attribution("quote-runs-on", None, own, same_as=i - 1)
        else:
            attribution = _after(body, quote) or _before(body, quote)
            if attribution is None and i > 0 and found[i - 1].paragraph == quote.paragraph:
                # The second half of '"...," he said, "..."'.
                attribution = Attribution("same-sentence-speaker", None, own, same_as=i - 1)
            if attribution is None and quote.runs_on:
                attribution = _runs_on_speaker(body, found, i, out)
            if attribution is None and quote.alone and last_with_speaker is not None:
                attribution = Attribution(
                    "paragraph-continues-speaker", None, own, same_as=last_with_speaker
                )
            if attribution is None and last_with_speaker is not None:
                attribution = Attribution("nearest-speaker", None, own, same_as=last_with_speaker)
            if attribution is None:
                attribution = Attribution("nearest-speaker", None, own)
        if quote.short and attribution.speaker is None:
            attribution = attrs.evolve(attribution, rule=SCARE_QUOTE, same_as=None)
        out.append(attribution)
        if attribution.rule == SCARE_QUOTE:
            continue
        if attribution.speaker is not None or attribution.same_as is not None:
            last_with_speaker = i
    return out


def _runs_on_speaker(
    body: str, found: list[Quotation], i: int, done: list[Attribution]
) -> Attribution | None:
    """A quote left open is often attributed only where it closes, paragraphs later."""
    for j in range(i + 1, len(found)):
        later = found[j]
        if not later.continues:
            return None
        if not later.runs_on:
            closing = _after(body, later)
            if closing is not None and closing.speaker is not None:
                return attrs.evolve(
                    closing,
                    rule="quote-runs-on",
                    evidence=Span(found[i].marks.start, found[i].marks.end),
                )
            return None
    return None
