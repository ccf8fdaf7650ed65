"""Direct quotations: pairing quotation marks, straight or curly, across paragraphs.

News copy opens a quote that runs over several paragraphs with a quotation
mark at the start of each paragraph and closes it only at the end of the
last: a paragraph that opens a quote without closing it is continued by the
next paragraph's opening mark. Each paragraph's stretch is one quotation
here (a quote's text must stand word for word in its evidence); the ones
after the first are marked as continuing it, so they share its speaker.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import attrs

from .passages import Span, paragraphs

__all__ = ["Quotation", "quotations"]

_OPENING = "“"
_CLOSING = "”"
_MARKS = re.compile('["“”]')
# A straight mark opens a quote when what comes before it cannot end a word.
_BEFORE_OPENING = re.compile(r"(^|[\s(\[{—–:-])$")
#: Fewer words than this, inside a sentence and attributed to no one, is a
#: title or a scare quote ("unseemly purposes"), not a quotation.
MIN_WORDS = 4


@attrs.frozen
class Quotation:
    """One paragraph's stretch of a direct quotation.

    ``marks`` spans the quotation marks too (or runs to the paragraph's end
    when the quote runs on); ``words`` is the quoted text alone, without
    the marks and without a trailing comma.
    """

    marks: Span
    words: Span
    paragraph: Span
    #: This paragraph opens or continues a quote that runs on into the next.
    runs_on: bool = False
    #: This paragraph continues a quote that the paragraph before left open.
    continues: bool = False
    #: The quote is a whole paragraph by itself (nothing but the quote).
    alone: bool = False
    #: Fewer than MIN_WORDS words inside a sentence: kept only when attributed.
    short: bool = False


def _is_opening(body: str, index: int, open_: bool) -> bool:
    mark = body[index]
    if mark == _OPENING:
        return True
    if mark == _CLOSING:
        return False
    # A straight mark: alternate, but trust what stands before it when the
    # alternation was broken by a stray mark.
    if open_:
        return False
    return bool(_BEFORE_OPENING.search(body[max(0, index - 1) : index]))


def _words(body: str, start: int, end: int) -> Span:
    """The quoted words between ``start`` and ``end``, trimmed of spaces and a final comma."""
    while start < end and body[start].isspace():
        start += 1
    while end > start and (body[end - 1].isspace() or body[end - 1] == ","):
        end -= 1
    return Span(start, end)


def _in_paragraph(body: str, paragraph: Span) -> Iterator[tuple[int, int | None]]:
    """(opening, closing) mark offsets; closing is None for a quote that runs on."""
    opened: int | None = None
    for match in _MARKS.finditer(body, paragraph.start, paragraph.end):
        index = match.start()
        if opened is None:
            if _is_opening(body, index, False):
                opened = index
        elif not _is_opening(body, index, True) or body[index] == _CLOSING:
            yield opened, index
            opened = None
        else:  # a second opening mark: the first was stray
            opened = index
    if opened is not None:
        yield opened, None


def quotations(body: str) -> list[Quotation]:
    """Every direct quotation in the body, in order."""
    found: list[Quotation] = []
    left_open = False
    for paragraph in paragraphs(body):
        pairs = list(_in_paragraph(body, paragraph))
        continues_here = left_open and bool(pairs) and pairs[0][0] == paragraph.start
        left_open = False
        for i, (opening, closing) in enumerate(pairs):
            runs_on = closing is None
            end = paragraph.end if closing is None else closing
            words = _words(body, opening + 1, end)
            if words.end <= words.start:
                continue
            continues = continues_here and i == 0
            marks = Span(opening, paragraph.end if closing is None else closing + 1)
            alone = marks.start == paragraph.start and (
                runs_on or not body[marks.end : paragraph.end].strip()
            )
            short = len(body[words.start : words.end].split()) < MIN_WORDS and not (
                alone or continues or runs_on
            )
            found.append(Quotation(marks, words, paragraph, runs_on, continues, alone, short))
            left_open = runs_on
    return found
