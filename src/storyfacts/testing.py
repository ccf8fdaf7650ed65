"""Test helpers for plugin authors: a conformance kit for exporters, and datasets to test with.

In a plugin's own tests, one line checks an exporter against everything
storyfacts promises its users::

    from storyfacts.testing import check_exporter

    def test_markdown_exporter_conforms(tmp_path):
        check_exporter("markdown", directory=tmp_path)

:func:`check_exporter` exports the bundled dataset, a generated one and empty
ones, and checks that the exporter is listed, that its declaration is
sensible, that its output is deterministic and keeps Unicode text, that a
failure half-way leaves nothing behind, and that its progress reports add up.
It raises :class:`ConformanceError` (an :class:`AssertionError`) listing every
failed check, or returns the :class:`Report`.

:func:`make_dataset` builds a valid dataset of any size with text in Latin,
Cyrillic and Chinese; :func:`registered` registers a plugin for the length of
a ``with`` block.
"""

from __future__ import annotations

import contextlib
import io
import json
import mimetypes
import random
import re
import tempfile
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Literal

import attrs

from . import cli, plugins
from .errors import ExportError
from .exporting import ExportContext, Exporter, export
from .hookspecs import hookimpl
from .loading import load, load_bundled
from .model import Dataset, Quote
from .schema import SCHEMA_VERSION

__all__ = [
    "Check",
    "ConformanceError",
    "Report",
    "check_exporter",
    "empty_dataset",
    "is_text_media_type",
    "make_dataset",
    "media_types_for",
    "registered",
]

# Temporary registration ------------------------------------------------------


class _ExporterPlugin:
    """A plugin that registers one ready-made exporter."""

    def __init__(self, exporter: Exporter) -> None:
        self.exporter = exporter

    @hookimpl
    def register_exporters(self, register: Callable[[Exporter], None]) -> None:
        register(self.exporter)


@contextlib.contextmanager
def registered(plugin: object, name: str) -> Iterator[None]:
    """Register ``plugin`` under ``name`` inside a ``with`` block, and unregister it after.

    ``plugin`` is a module or object with ``@hookimpl`` functions, or a single
    :class:`~storyfacts.Exporter`. The plugin is unregistered even when the
    block raises, so one test cannot leak plugins into the next::

        with registered(my_plugin, "my-plugin"):
            storyfacts.export(None, "my-format", tmp_path / "out.txt")

    Raises :class:`~storyfacts.PluginError` when the plugin's hooks are bad.
    """
    if isinstance(plugin, Exporter):
        plugin = _ExporterPlugin(plugin)
    plugins.register(plugin, name)
    try:
        yield
    finally:
        plugins.unregister(name)


# Datasets to test with --------------------------------------------------------

MODIFIED = "2024-06-01T12:00:00Z"

# One cast of entities per script, so every kind of record carries text in
# each: names without commas, quotes or markup characters, which formats
# would have to escape and so could not be searched for verbatim.
_CAST: dict[str, dict[str, str]] = {
    "latin": {
        "person": "Zoë Bäumler",
        "role": "Sportministerin",
        "organization": "Österreichischer Sportverband",
        "kind": "sports_body",
        "country": "Österreich",
        "iso": "AT",
        "place": "Klagenfurt am Wörthersee",
        "event": "Sportgipfel am Wörthersee",
        "group": "Mitteleuropäische Länder",
        "quote": "Wir unterstützen diese Initiative von ganzem Herzen",
        "source": "Tätigkeitsbericht des Sportverbands",
    },
    "cyrillic": {
        "person": "Анна Петрова",
        "role": "Министр спорта",
        "organization": "Агентство спортивных новостей",
        "kind": "news_agency",
        "country": "Россия",
        "iso": "RU",
        "place": "Новосибирск",
        "event": "Спортивный форум в Новосибирске",
        "group": "Северные страны",
        "quote": "Мы полностью поддерживаем эту инициативу",
        "source": "Годовой отчёт агентства",
    },
    "chinese": {
        "person": "王小明",
        "role": "体育部长",
        "organization": "亚洲体育联合会",
        "kind": "sports_federation",
        "country": "中国",
        "iso": "CN",
        "place": "杭州",
        "event": "杭州体育论坛",
        "group": "亚洲国家",
        "quote": "我们全力支持这一倡议",
        "source": "联合会年度报告",
    },
}
_SCRIPTS = tuple(_CAST)
# Every event starts at a different precision: year, month and day.
_EVENT_DATES: dict[str, tuple[dict[str, Any], dict[str, Any] | None, str]] = {
    "latin": (
        {
            "value": "2025",
            "precision": "year",
            "phrase": "next year",
            "source": "source-latin",
            "inferred": True,
        },
        None,
        "proposed",
    ),
    "cyrillic": (
        {"value": "2024-05", "precision": "month", "phrase": "in May"},
        {"value": "2024-05-20", "precision": "day"},
        "scheduled",
    ),
    "chinese": (
        {"value": "2024-04-02", "precision": "day"},
        {"value": "2024-04-04", "precision": "day"},
        "completed",
    ),
}
_STANCES = (
    "supports",
    "opposes",
    "welcomes",
    "condemns",
    "fears",
    "expects",
    "offers",
    "accuses",
    "announces",
)


class _Body:
    """An article body built sentence by sentence, remembering where each sentence is."""

    def __init__(self, article: str) -> None:
        self.article = article
        self.text = ""

    def add(self, sentence: str) -> dict[str, Any]:
        if self.text:
            self.text += " "
        start = len(self.text)
        self.text += sentence
        return {"article": self.article, "start": start, "end": len(self.text), "text": sentence}

    def mention(self, evidence: dict[str, Any], words: str) -> dict[str, Any]:
        start = evidence["start"] + evidence["text"].index(words)
        return {"article": self.article, "start": start, "end": start + len(words), "text": words}


def _random_date(rng: random.Random, year: int) -> dict[str, Any]:
    precision = rng.choice(("year", "month", "day"))
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    value = {
        "year": f"{year}",
        "month": f"{year}-{month:02d}",
        "day": f"{year}-{month:02d}-{day:02d}",
    }[precision]
    return {"value": value, "precision": precision}


def _entities(intro: dict[str, Any], body: _Body) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for script, cast in _CAST.items():
        start, end, status = _EVENT_DATES[script]
        event: dict[str, Any] = {
            "id": f"event-{script}",
            "type": "event",
            "name": cast["event"],
            "kind": "forum",
            "start": start,
            "location": f"place-{script}",
            "organizer": f"org-{script}",
            "status": status,
        }
        if end is not None:
            event["end"] = end
        out += [
            {
                "id": f"person-{script}",
                "type": "person",
                "name": cast["person"],
                "roles": [cast["role"]],
                "nationality": f"country-{script}",
                "evidence": [body.mention(intro, cast["person"])],
            },
            {
                "id": f"org-{script}",
                "type": "organization",
                "name": cast["organization"],
                "kind": cast["kind"],
                "country": f"country-{script}",
            },
            {
                "id": f"country-{script}",
                "type": "country",
                "name": cast["country"],
                "iso_code": cast["iso"],
            },
            {
                "id": f"place-{script}",
                "type": "place",
                "name": cast["place"],
                "country": f"country-{script}",
            },
            event,
            {
                "id": f"group-{script}",
                "type": "group",
                "name": cast["group"],
                "members": [f"country-{script}"],
                "sources": [f"source-{script}"],
            },
        ]
    return out


def _statement(i: int, rng: random.Random, body: _Body) -> dict[str, Any]:
    script = _SCRIPTS[i % 3]
    cast = _CAST[script]
    kind = ("quote", "claim", "decision", "relation")[i % 4]
    record: dict[str, Any] = {"id": f"{kind}-{i + 1}", "type": kind}
    if kind == "quote":
        evidence = body.add(f"{cast['person']} said: «{cast['quote']} ({i + 1}).»")
        record |= {
            "summary": f"{cast['person']} backs the {cast['event']}.",
            "text": f"{cast['quote']} ({i + 1}).",
            "speaker": f"person-{script}",
            "about": [f"event-{script}"],
        }
        if rng.random() < 0.5:
            record |= {"reported_by": "org-cyrillic", "medium": "interview"}
    elif kind == "claim":
        stance = rng.choice(_STANCES)
        evidence = body.add(f"The {cast['organization']} {stance} the {cast['event']}.")
        record |= {
            "summary": f"The {cast['organization']} {stance} the {cast['event']}.",
            "subject": f"org-{script}",
            "stance": stance,
            "object": f"event-{script}",
        }
        if rng.random() < 0.5:
            record |= {
                "object_text": f"plans for the {cast['event']}",
                "attributed_to": f"person-{script}",
            }
    elif kind == "decision":
        evidence = body.add(
            f"The {cast['organization']} decided to hold the {cast['event']} in {cast['place']}."
        )
        effective = {
            "value": f"2025-{rng.randint(1, 12):02d}",
            "precision": "month",
            "phrase": "from next year",
            "source": f"source-{script}",
            "inferred": True,
        }
        record |= {
            "summary": f"The {cast['organization']} will hold the {cast['event']}.",
            "decided_by": f"org-{script}",
            "decision": f"Hold the {cast['event']} in {cast['place']}.",
            "about": [f"event-{script}"],
            "effective": effective,
            "votes_for": rng.randint(0, 99),
            "votes_against": rng.randint(0, 99),
            "sources": [f"source-{script}"],
        }
    else:
        evidence = body.add(f"{cast['person']} is {cast['role']} of {cast['country']}.")
        record |= {
            "summary": f"{cast['person']} is {cast['role']} of {cast['country']}.",
            "subject": f"person-{script}",
            "relation": "role_in",
            "object": f"country-{script}",
            "role": cast["role"],
        }
    record["evidence"] = [evidence]
    if rng.random() < 0.7:
        record["date"] = _random_date(rng, 2024)
    return record


def make_dataset(n_statements: int = 12, *, seed: int = 0) -> Dataset:
    """A valid, generated dataset for tests: the same ``seed`` always gives the same dataset.

    It has two articles, every entity type, and text in Latin (with
    diacritics), Cyrillic and Chinese. Statements take turns as quote, claim,
    decision and relation, and as Latin, Cyrillic and Chinese, so 12 or more
    statements include every statement type in every script. Dates come in
    every precision: year, month and day. ``seed`` varies the stances,
    dates and votes, never the validity.
    """
    rng = random.Random(seed)
    bodies = [_Body("article-1"), _Body("article-2")]
    persons = [cast["person"] for cast in _CAST.values()]
    intro = bodies[0].add(f"{', '.join(persons[:-1])} and {persons[-1]} met this week.")
    bodies[1].add(f"Große Pläne für den Sport: {_CAST['latin']['event']}.")
    entities = _entities(intro, bodies[0])
    statements = [_statement(i, rng, bodies[i % 2]) for i in range(n_statements)]
    articles = [
        {
            "id": "article-1",
            "headline": "Sports ministers back forums in Novosibirsk and Hangzhou",
            "url": "https://example.org/news/1",
            "publisher": "org-cyrillic",
            "published": {"value": "2024-03-15", "precision": "day", "phrase": "on Friday"},
            "language": "en",
            "body": bodies[0].text,
        },
        {
            "id": "article-2",
            "headline": "Große Pläne für den Sport am Wörthersee",
            "url": "https://example.org/news/2",
            "publisher": "org-latin",
            "published": {
                "value": "2024-03",
                "precision": "month",
                "source": "source-latin",
                "inferred": True,
            },
            "language": "en",
            "body": bodies[1].text,
        },
    ]
    sources = [
        {
            "id": f"source-{script}",
            "title": cast["source"],
            "url": f"https://example.org/sources/{script}",
            "publisher": cast["organization"],
            "published": {"value": "2023", "precision": "year"},
        }
        for script, cast in _CAST.items()
    ]
    return load(
        {
            "schema_version": SCHEMA_VERSION,
            "id": f"generated-{seed}",
            "title": f"Generated dataset (seed {seed}, {n_statements} statements)",
            "modified": MODIFIED,
            "articles": articles,
            "entities": entities,
            "statements": statements,
            "sources": sources,
        }
    )


def empty_dataset(*, with_article: bool = False) -> Dataset:
    """A dataset with no records; ``with_article=True`` gives it one article and its publisher."""
    data: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "id": "empty",
        "title": "An empty dataset",
        "modified": MODIFIED,
        "articles": [],
        "entities": [],
        "statements": [],
        "sources": [],
    }
    if with_article:
        data["id"] = "one-article"
        data["entities"] = [{"id": "publisher", "type": "organization", "name": "Publisher"}]
        data["articles"] = [
            {
                "id": "article",
                "headline": "Nothing happened",
                "url": "https://example.org/",
                "publisher": "publisher",
                "published": {"value": "2024", "precision": "year"},
                "language": "en",
                "body": "Nothing happened.",
            }
        ]
    return load(data)


# Media types ------------------------------------------------------------------

# Extensions whose media type is settled; anything else is looked up in
# Python's built-in table (not the system's, which differs between machines).
_KNOWN_TYPES: dict[str, frozenset[str]] = {
    ext: frozenset(types)
    for ext, types in {
        ".json": ("application/json",),
        ".jsonld": ("application/ld+json",),
        ".ndjson": ("application/x-ndjson", "application/ndjson"),
        ".jsonl": ("application/jsonl", "application/x-ndjson", "application/ndjson"),
        ".geojson": ("application/geo+json",),
        ".csv": ("text/csv",),
        ".tsv": ("text/tab-separated-values",),
        ".md": ("text/markdown",),
        ".markdown": ("text/markdown",),
        ".txt": ("text/plain",),
        ".html": ("text/html",),
        ".xml": ("application/xml", "text/xml"),
        ".ics": ("text/calendar",),
        ".vcf": ("text/vcard",),
        ".yaml": ("application/yaml", "text/yaml"),
        ".yml": ("application/yaml", "text/yaml"),
        ".ttl": ("text/turtle",),
        ".nt": ("application/n-triples",),
        ".rdf": ("application/rdf+xml",),
        ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",),
        ".ods": ("application/vnd.oasis.opendocument.spreadsheet",),
        ".zip": ("application/zip",),
        ".pdf": ("application/pdf",),
    }.items()
}
_TEXT_APPLICATION_TYPES = frozenset(
    {
        "application/json",
        "application/xml",
        "application/yaml",
        "application/x-ndjson",
        "application/ndjson",
        "application/jsonl",
        "application/n-triples",
        "application/n-quads",
        "application/sql",
        "application/javascript",
    }
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
        or media_type in _TEXT_APPLICATION_TYPES
        or media_type.endswith(("+json", "+xml"))
    )


def _is_json(media_type: str) -> bool:
    return media_type == "application/json" or media_type.endswith("+json")


# The conformance kit --------------------------------------------------------

Outcome = Literal["passed", "failed", "skipped"]
PROBE_FORMAT = "conformance-probe"
PROBE_PLUGIN = "storyfacts.testing.probe"
_SENTINEL = b"An existing file that a failed export must leave exactly as it was.\n"


@attrs.frozen
class Check:
    """The outcome of one conformance check of one exporter."""

    format: str
    name: str
    outcome: Outcome
    detail: str = ""

    def __str__(self) -> str:
        return f"[{self.format}] {self.name}: {self.outcome}" + (
            f" ({self.detail})" if self.detail else ""
        )


@attrs.frozen
class Report:
    """Every check :func:`check_exporter` ran, in order."""

    checks: tuple[Check, ...]

    @property
    def failed(self) -> list[Check]:
        """The checks that failed."""
        return [c for c in self.checks if c.outcome == "failed"]

    @property
    def ok(self) -> bool:
        """True when no check failed."""
        return not self.failed

    def __str__(self) -> str:
        return "\n".join(str(c) for c in self.checks)


class ConformanceError(AssertionError):
    """An exporter failed one or more conformance checks; ``report`` has them all."""

    def __init__(self, report: Report) -> None:
        self.report = report
        formats = ", ".join(dict.fromkeys(c.format for c in report.failed))
        lines = [
            f"{formats} failed {len(report.failed)} of {len(report.checks)} conformance checks:"
        ]
        lines += [f"  - [{c.format}] {c.name}: {c.detail}" for c in report.failed]
        super().__init__("\n".join(lines))


class _Skip(Exception):
    """Raised by a check that does not apply to this exporter."""


class _SimulatedFailure(Exception):
    """Raised by the conformance kit after an exporter wrote its output."""


def _snapshot(path: Path) -> dict[str, bytes | None]:
    """Every file (its bytes) and directory (``None``) at or under ``path``."""
    if path.is_file():
        return {".": path.read_bytes()}
    return {
        p.relative_to(path).as_posix(): (p.read_bytes() if p.is_file() else None)
        for p in sorted(path.rglob("*"))
    }


class _Conformance:
    """Runs the checks on one registered exporter, inside a scratch directory."""

    def __init__(self, exporter: Exporter, workdir: Path, n_statements: int, seed: int) -> None:
        self.exporter = exporter
        self.workdir = workdir
        self.generated = make_dataset(n_statements, seed=seed)
        self.checks: list[Check] = []
        self.outputs: dict[str, Path] = {}
        self.progress: list[tuple[str, list[tuple[int, int]]]] = []

    def run(self) -> list[Check]:
        self._check("is listed by storyfacts formats", self._listed)
        self._check("declares a fitting extension and media type", self._declaration)
        self._check("writes the bundled dataset", lambda: self._writes("bundled", load_bundled()))
        self._check("writes a generated dataset", lambda: self._writes("generated", self.generated))
        self._check("writes empty datasets", self._writes_empty)
        self._check("writes the same bytes every time", self._deterministic)
        self._check("writes text as UTF-8", self._encoding)
        self._check("keeps Latin, Cyrillic and Chinese text", self._unicode)
        self._check("leaves nothing behind when it fails half-way", self._atomic)
        self._check("reports progress within the total", self._progress)
        return self.checks

    def _check(self, name: str, check: Callable[[], str | None]) -> None:
        try:
            detail = check() or ""
        except _Skip as skip:
            self.checks.append(Check(self.exporter.name, name, "skipped", str(skip)))
        except AssertionError as error:
            self.checks.append(Check(self.exporter.name, name, "failed", str(error)))
        except Exception as error:  # a crashing exporter is a failed check, not a crashed kit
            self.checks.append(
                Check(self.exporter.name, name, "failed", f"{type(error).__name__}: {error}")
            )
        else:
            self.checks.append(Check(self.exporter.name, name, "passed", detail))

    def _target(self, label: str) -> Path:
        folder = self.workdir / label
        folder.mkdir(parents=True, exist_ok=True)
        return folder / ("out" if self.exporter.directory else f"out{self.exporter.extension}")

    def _export(self, label: str, dataset: Dataset) -> Path:
        target = self._target(label)
        reports: list[tuple[int, int]] = []
        self.progress.append((label, reports))
        try:
            export(
                dataset,
                self.exporter.name,
                target,
                progress=lambda done, total: reports.append((done, total)),
            )
        except ExportError as error:
            raise AssertionError(error.reason) from None
        leftovers = sorted(p.name for p in target.parent.iterdir() if p != target)
        assert not leftovers, f"files left beside the output: {', '.join(leftovers)}"
        assert target.exists(), f"nothing was written at {target}"
        self.outputs[label] = target
        return target

    def _listed(self) -> str | None:
        name = self.exporter.name
        from . import formats

        listed = {e.name: e for e in formats()}
        own = [str(f) for f in plugins.failures() if f.plugin == self.exporter.plugin]
        problems = [f"plugin {self.exporter.plugin!r} reports: {f}" for f in own]
        if listed.get(name) != self.exporter:
            problems.append(f"storyfacts.formats() does not list {name!r}")
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = cli.main(["formats", "--json"])
        rows = [r for r in json.loads(out.getvalue()) if r["name"] == name] if code == 0 else []
        if rows != [self.exporter.to_dict()]:
            problems.append(f"`storyfacts formats --json` exited {code} and listed {rows!r}")
        assert not problems, "; ".join(problems)
        return None

    def _declaration(self) -> str | None:
        exporter = self.exporter
        problems = exporter.problems()
        assert not problems, "; ".join(problems)
        expected = media_types_for(exporter.extension)
        if not expected:
            return f"no known media type for {exporter.extension!r} to compare with"
        assert exporter.media_type.lower() in expected, (
            f"extension {exporter.extension!r} goes with {' or '.join(sorted(expected))}, "
            f"not {exporter.media_type!r}"
        )
        return None

    def _writes(self, label: str, dataset: Dataset) -> str | None:
        target = self._export(f"{label}-a", dataset)
        files = {k: v for k, v in _snapshot(target).items() if v is not None}
        assert any(files.values()), f"the output at {target} is empty"
        return None

    def _writes_empty(self) -> str | None:
        self._export("empty", empty_dataset())
        self._export("one-article", empty_dataset(with_article=True))
        return None

    def _deterministic(self) -> str | None:
        compared = 0
        for label, dataset in (("bundled", load_bundled()), ("generated", self.generated)):
            if f"{label}-a" not in self.outputs:
                continue
            first = _snapshot(self.outputs[f"{label}-a"])
            second = _snapshot(self._export(f"{label}-b", dataset))
            changed = sorted(
                k for k in first.keys() | second.keys() if first.get(k) != second.get(k)
            )
            assert not changed, (
                f"two exports of the {label} dataset differ in: {', '.join(changed)}; "
                "use dataset.modified, never the clock, and a fixed order"
            )
            compared += 1
        if not compared:
            raise _Skip("no export succeeded to compare")
        return None

    def _texts(self, label: str) -> dict[str, str]:
        """The output's text files, decoded, by relative path; binary files are left out."""
        if label not in self.outputs:
            raise _Skip(f"the {label.removesuffix('-a')} dataset was not written")
        out: dict[str, str] = {}
        for name, content in _snapshot(self.outputs[label]).items():
            if content is None:
                continue
            media_type = self.exporter.media_type
            if self.exporter.directory:
                media_type = next(iter(sorted(media_types_for(Path(name).suffix))), media_type)
            if not is_text_media_type(media_type):
                continue
            try:
                text = content.decode("utf-8")
            except UnicodeDecodeError as error:
                raise AssertionError(
                    f"{name} ({media_type}) is not UTF-8: byte {error.start} cannot be decoded"
                ) from None
            if _is_json(media_type):
                try:
                    json.loads(text)
                except ValueError as error:
                    raise AssertionError(f"{name} ({media_type}) is not JSON: {error}") from None
            out[name] = text
        if not out:
            raise _Skip(f"{self.exporter.media_type} output is binary")
        return out

    def _encoding(self) -> str | None:
        self._texts("bundled-a")
        self._texts("generated-a")
        return None

    def _unicode(self) -> str | None:
        texts = self._texts("generated-a")
        found = "\n".join(_searchable(text, self.exporter.media_type) for text in texts.values())
        found = unicodedata.normalize("NFC", found)
        missing = []
        for script, words in _script_texts(self.generated).items():
            if not any(word in found for word in words):
                missing.append(f"{script} (such as {sorted(words)[0]!r})")
        assert not missing, (
            "none of the generated dataset's names or quotes in "
            + ", ".join(missing)
            + " appear in the output; write text as UTF-8 without escaping it"
        )
        return None

    def _atomic(self) -> str | None:
        folder = self.workdir / "atomic"
        target = self._target("atomic")
        if self.exporter.directory:
            target.mkdir()
            (target / "existing.txt").write_bytes(_SENTINEL)
        else:
            target.write_bytes(_SENTINEL)
        before = _snapshot(folder)
        real_write = self.exporter.write

        def interrupted(dataset: Dataset, path: Path, context: ExportContext) -> None:
            real_write(dataset, path, context)
            raise _SimulatedFailure("simulated failure after the exporter wrote its output")

        probe = attrs.evolve(self.exporter, name=PROBE_FORMAT, write=interrupted, plugin="")
        with registered(probe, PROBE_PLUGIN):
            try:
                export(load_bundled(), PROBE_FORMAT, target)
            except ExportError:
                pass
            else:
                raise AssertionError("the export succeeded although its write raised")
        after = _snapshot(folder)
        changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
        assert not changed, (
            "after a failed export these changed beside the target: "
            + ", ".join(changed)
            + "; write only inside the path storyfacts gives you"
        )
        return None

    def _progress(self) -> str | None:
        reported = 0
        for label, reports in self.progress:
            last = 0
            for done, total in reports:
                assert done <= total, f"exporting {label}: progress {done} exceeds total {total}"
                assert done >= last, f"exporting {label}: progress went back from {last} to {done}"
                last = done
            reported += len(reports)
        return None if reported else "the exporter reports no progress"


def _searchable(text: str, media_type: str) -> str:
    """The text as a reader sees it: calendar lines unfolded, JSON strings unescaped."""
    if media_type.lower() in _FOLDED_TYPES:
        return re.sub(r"\r?\n[ \t]", "", text)
    if _is_json(media_type):
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


def _script_texts(dataset: Dataset) -> dict[str, set[str]]:
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


def _resolve(
    target: str | Exporter | object, plugin_name: str | None
) -> tuple[list[str], object, str | None]:
    """The format names to check, and the plugin to register first (if any) under which name."""
    if isinstance(target, str):
        return [target], None, None
    if isinstance(target, Exporter):
        name = plugin_name or f"storyfacts.testing.{target.name}"
        return [target.name], _ExporterPlugin(target), name
    name = plugin_name or getattr(target, "__name__", None) or type(target).__name__
    return [], target, name


def check_exporter(
    exporter: str | Exporter | object,
    *,
    plugin_name: str | None = None,
    directory: str | Path | None = None,
    n_statements: int = 24,
    seed: int = 0,
) -> Report:
    """Check an exporter against the storyfacts exporter contract; raise if any check fails.

    :param exporter: a format name already registered (``"markdown"``); an
        :class:`~storyfacts.Exporter`; or a plugin (a module or object with
        ``@hookimpl`` functions), every exporter of which is checked. An
        exporter or plugin is registered for the check and unregistered after.
    :param plugin_name: the name to register a given exporter or plugin under.
    :param directory: where to write the outputs (such as pytest's
        ``tmp_path``); by default a temporary directory, removed afterwards.
    :param n_statements: size of the generated dataset (see :func:`make_dataset`).
    :param seed: seed of the generated dataset.
    :returns: the :class:`Report` of every check, when none failed.
    :raises ConformanceError: listing every failed check, with its reason.
    """
    formats, plugin, name = _resolve(exporter, plugin_name)
    with contextlib.ExitStack() as stack:
        if plugin is not None and name is not None:
            stack.enter_context(registered(plugin, name))
            formats = formats or [e.name for e in plugins.exporters().values() if e.plugin == name]
            if not formats:
                reasons = [str(f) for f in plugins.failures() if f.plugin == name]
                raise ConformanceError(
                    Report(
                        (
                            Check(
                                name,
                                "registers an exporter",
                                "failed",
                                "; ".join(reasons) or "the plugin registered no exporter",
                            ),
                        )
                    )
                )
        workdir = (
            Path(directory)
            if directory is not None
            else Path(
                stack.enter_context(tempfile.TemporaryDirectory(prefix="storyfacts-conformance-"))
            )
        )
        checks: list[Check] = []
        for index, format_name in enumerate(formats):
            found = plugins.exporters().get(format_name)
            if found is not None and name is not None and found.plugin != name:
                hidden = [str(f) for f in plugins.failures() if f.plugin == name]
                checks.append(
                    Check(
                        format_name,
                        "is listed by storyfacts formats",
                        "failed",
                        "; ".join(hidden)
                        or f"plugin {found.plugin!r} provides {format_name!r} instead",
                    )
                )
                continue
            if found is None:
                known = ", ".join(plugins.exporters()) or "none"
                failures = "; ".join(str(f) for f in plugins.failures()) or "none"
                checks.append(
                    Check(
                        format_name,
                        "is listed by storyfacts formats",
                        "failed",
                        f"no exporter is called {format_name!r} (formats: {known}; "
                        f"plugin failures: {failures})",
                    )
                )
                continue
            scratch = workdir / f"conformance-{index}-{format_name}"
            scratch.mkdir(parents=True, exist_ok=True)
            checks += _Conformance(found, scratch, n_statements, seed).run()
    report = Report(tuple(checks))
    if not report.ok:
        raise ConformanceError(report)
    return report
