"""The errors storyfacts raises, and the problems it reports about data.

Every exception is a :class:`StoryfactsError`. Each carries its context (the
file, the JSON path, the sheet and cell, the plugin) as attributes and prints
as one sentence a person can act on.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import attrs

__all__ = [
    "ExportError",
    "FieldTypeError",
    "InputError",
    "InvalidDatasetError",
    "OptionError",
    "PassageError",
    "PluginError",
    "Problem",
    "StoryfactsError",
    "UnknownFormatError",
    "UnwritableDatasetError",
    "excerpt",
    "json_path",
    "parse_path",
    "printable",
]

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_PATH_TOKEN = re.compile(r"\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]|\[('((?:[^'\\]|\\.)*)'…?)\]")
_ESCAPED = re.compile(r"\\(.)")


#: How many characters of a value a message echoes; the rest is cut, and the
#: message says how long the whole is.
EXCERPT = 60


def printable(text: str, keep: str = "") -> str:
    """``text`` with every character a terminal would act on written as an escape.

    Control characters (ESC, CR, LF, NUL...), lone surrogates and invisible
    format characters (such as right-to-left overrides) become ``\\x1b``,
    ``\\n``, ``\\ud800``, ``\\u202e``, as in Python's ``repr``: echoed data
    can then neither move the cursor, colour the terminal, nor forge a line of
    output, and it can always be written as UTF-8. Characters in ``keep``
    (say, the line feeds of a multi-line reason) are left as they are.
    """
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() or c in keep else repr(c)[1:-1] for c in text)


def excerpt(text: str, limit: int = EXCERPT) -> str:
    """``text`` quoted for a message: escaped as by ``repr``, and cut when long.

    A cut is marked twice: ``…`` after the closing quote, then the length of
    the whole (``'Lorem ipsum'… (1,048,576 characters)``).
    """
    if len(text) <= limit:
        return repr(text)
    return f"{text[:limit]!r}… ({len(text):,} characters)"


#: The longest message a problem keeps; storyfacts' own stay far below it.
MESSAGE_LIMIT = 1_000


def _shown(message: str) -> str:
    """A problem's message as it is kept: printable, and cut past :data:`MESSAGE_LIMIT`."""
    if len(message) > MESSAGE_LIMIT:
        cut = f"… (message cut from {len(message):,} characters)"
        message = message[:MESSAGE_LIMIT] + cut
    return printable(message)


def json_path(parts: Iterable[str | int]) -> str:
    """Return the JSONPath (``$.statements[4].speaker``) of a location.

    A key that is not a plain name is quoted, with ``\\``, ``'`` and anything
    unprintable escaped; one longer than :data:`EXCERPT` characters is cut,
    and ``…`` after its closing quote marks the cut.
    """
    out = ["$"]
    for part in parts:
        if isinstance(part, int):
            out.append(f"[{part}]")
        elif len(part) <= EXCERPT and _IDENTIFIER.match(part):
            out.append(f".{part}")
        else:
            key = part[:EXCERPT]
            escaped = printable(key.replace("\\", "\\\\").replace("'", "\\'"))
            out.append(f"['{escaped}']" if key == part else f"['{escaped}'…]")
    return "".join(out)


def parse_path(path: str) -> tuple[str | int, ...]:
    """The parts of a JSON path such as ``$.statements[4].speaker``: what :func:`json_path` joined.

    A quoted key comes back unescaped (a key :func:`json_path` cut short stays cut).
    """
    parts: list[str | int] = []
    for match in _PATH_TOKEN.finditer(path):
        name, index, _, quoted = match.groups()
        if index is not None:
            parts.append(int(index))
        else:
            parts.append(name if name is not None else _ESCAPED.sub(r"\1", quoted))
    return tuple(parts)


def _path_sort_key(path: str) -> tuple[tuple[int, int, str], ...]:
    """Order paths as a person reads them: ``[2]`` before ``[10]``."""
    key: list[tuple[int, int, str]] = []
    for match in _PATH_TOKEN.finditer(path):
        name, index, written, _ = match.groups()
        if index is not None:
            key.append((0, int(index), ""))
        else:
            # A quoted key sorts as written, quotes and all, as it always has.
            key.append((1, 0, name if name is not None else written))
    return tuple(key)


# A place in a workbook: a cell (Quotes!C12), a row (Quotes!12:12) or a
# column (Quotes!C:C). A sheet name may hold '!' itself, so only the end counts.
_CELL = re.compile(r"!(?=[A-Z0-9])[A-Z]{0,3}[0-9]*(?::[A-Z]{0,3}[0-9]*)?$")


@attrs.frozen(order=False)
class Problem:
    """One thing wrong with a dataset, at one place.

    ``path`` is the JSON path of the offending value; ``location`` is where an
    editor finds it when the data came from a workbook (``Quotes!C12``).
    ``code`` is a stable, machine-readable name for the kind of problem.
    """

    # Whoever builds a problem (a plugin, a reader) may echo data in it; the
    # text is made printable here so that nothing reaches a terminal raw, and
    # a message that still echoes a whole value is cut.
    path: str = attrs.field(converter=printable)
    message: str = attrs.field(converter=_shown)
    code: str = "invalid"
    location: str | None = attrs.field(default=None, converter=attrs.converters.optional(printable))

    def __str__(self) -> str:
        # An editor finds a cell, not a JSON path: a problem at a cell leads
        # with it and the sentence, and the path stays in to_dict (--json).
        # A location that is a file or a line (a merged dataset, a JSON Lines
        # corpus) does not say where in the record, so the path follows it.
        if self.location and _CELL.search(self.location):
            return f"{self.location}: {self.message}"
        if self.location:
            return f"{self.location} ({self.path}): {self.message}"
        return f"{self.path}: {self.message}"

    def sort_key(self) -> tuple[object, ...]:
        return (_path_sort_key(self.path), self.location or "", self.message)

    def to_dict(self) -> dict[str, str]:
        out = {"path": self.path, "message": self.message, "code": self.code}
        if self.location:
            out["location"] = self.location
        return out


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Sort problems by where they are, then by message, dropping exact repeats."""
    unique = dict.fromkeys(problems)
    return sorted(unique, key=Problem.sort_key)


class StoryfactsError(Exception):
    """Base class of every error storyfacts raises."""


class InputError(StoryfactsError):
    """A file cannot be read as a dataset or workbook at all."""

    def __init__(self, source: str | Path, reason: str) -> None:
        self.source = str(source)
        self.reason = reason
        # A file name or a reason may quote what it read: echoed escaped.
        super().__init__(f"{printable(self.source)}: {printable(reason)}")


#: How many problems an error's message lists; ``problems`` always holds them all.
SHOWN = 50


def _listed(problems: Sequence[Problem]) -> list[str]:
    """One indented line per problem, the first :data:`SHOWN` of them, then how many more."""
    lines = [f"  {problem}" for problem in problems[:SHOWN]]
    if len(problems) > SHOWN:
        lines.append(f"  ... and {len(problems) - SHOWN} more.")
    return lines


class InvalidDatasetError(StoryfactsError):
    """A dataset was read but is not valid; ``problems`` lists every problem found."""

    def __init__(self, problems: Sequence[Problem], source: str | Path | None = None) -> None:
        self.problems = list(problems)
        self.source = None if source is None else str(source)
        where = f"{printable(self.source)} is" if self.source else "The dataset is"
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        lines = [f"{where} not valid: {count} {noun}.", *_listed(self.problems)]
        super().__init__("\n".join(lines))


class PassageError(StoryfactsError):
    """A passage cannot be placed in an article by its text: it occurs several times, or not at all.

    ``status`` is ``ambiguous``, ``approximate`` or ``lost``; ``candidates``
    lists every occurrence (or the closest passage), each with ``start``,
    ``end``, ``text``, ``score`` and the words ``before`` and ``after`` it.
    """

    def __init__(self, article: str, text: str, status: str, candidates: Sequence[Any], why: str):
        self.article = article
        self.text = text
        self.status = status
        self.candidates = list(candidates)
        super().__init__(f"Article {article!r}: {why}")


class FieldTypeError(StoryfactsError, TypeError):
    """A record was built, or a field set, with a value of the wrong type.

    ``record`` and ``field`` name where (``Person`` and ``aliases``),
    ``expected`` and ``got`` say what in words. It is a :class:`TypeError`
    too, as Python code expects of a wrong argument.
    """

    def __init__(self, record: str, field: str, expected: str, got: str, hint: str = "") -> None:
        self.record = record
        self.field = field
        self.expected = expected
        self.got = got
        advice = f"; {hint}" if hint else ""
        super().__init__(f"{record}.{field} takes {expected}, not {got}{advice}.")


class PluginError(StoryfactsError):
    """A plugin could not be loaded, or registered something invalid."""

    def __init__(self, plugin: str, reason: str, distribution: str | None = None) -> None:
        self.plugin = plugin
        self.reason = reason
        self.distribution = distribution
        origin = f" (from {printable(distribution)})" if distribution else ""
        super().__init__(f"Plugin {plugin!r}{origin}: {printable(reason)}")


class ExportError(StoryfactsError):
    """An export failed; the target path was left as it was."""

    def __init__(self, format_name: str, target: str | Path, reason: str) -> None:
        self.format = format_name
        self.target = str(target)
        self.reason = reason
        super().__init__(
            f"Export to {format_name} at {printable(self.target)} failed, and nothing was "
            f"written: {printable(reason, keep=chr(10))}"
        )


class UnwritableDatasetError(ExportError):
    """A valid dataset holds values a workbook cannot; nothing was written.

    ``problems`` names each value: its JSON path, and as ``location`` the cell
    it would have gone to, with the record and field in the message.
    """

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        count = len(self.problems)
        noun = "value does" if count == 1 else "values do"
        self.format = "xlsx"
        # No one path: the problems say where each value would have gone.
        self.target = ""
        self.reason = "\n".join([f"{count} {noun} not fit in a workbook:", *_listed(self.problems)])
        StoryfactsError.__init__(
            self, f"Export to xlsx failed, and nothing was written: {self.reason}"
        )


class OptionError(StoryfactsError):
    """An export option is unknown to the exporter, or has a value it does not accept."""

    def __init__(self, format_name: str, option: str, reason: str) -> None:
        self.format = format_name
        self.option = option
        self.reason = reason
        super().__init__(f"Option {option!r} of the {format_name} exporter: {printable(reason)}")


class UnknownFormatError(StoryfactsError):
    """No exporter is registered under the requested name."""

    def __init__(self, name: str, known: Sequence[str]) -> None:
        self.name = name
        self.known = list(known)
        # Imported here: suggestions builds on this module's excerpt().
        from .suggestions import close_match

        super().__init__(
            f"No exporter is called {name!r}{close_match(name, self.known)}; "
            f"available formats: {', '.join(self.known) or 'none'}."
        )
