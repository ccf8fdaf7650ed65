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

from . import cli, formats, plugins
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

# One cast per script, so that every kind of record has text in each. The
# names hold no commas, quotes or markup characters: a format may escape
# those, and then the names could not be searched for verbatim.
_CAST_FIELDS = "person role organization kind country iso place event group quote source"
_CAST: dict[str, dict[str, str]] = {
    script: dict(zip(_CAST_FIELDS.split(), values.split(" | "), strict=True))
    for script, values in {
        "latin": "Zoë Bäumler | Sportministerin | Österreichischer Sportverband | sports_body"
        " | Österreich | AT | Klagenfurt am Wörthersee | Sportgipfel am Wörthersee"
        " | Mitteleuropäische Länder | Wir unterstützen diese Initiative von ganzem Herzen"
        " | Tätigkeitsbericht des Sportverbands",
        "cyrillic": "Анна Петрова | Министр спорта | Агентство спортивных новостей"
        " | news_agency | Россия | RU | Новосибирск | Спортивный форум в Новосибирске"
        " | Северные страны | Мы полностью поддерживаем эту инициативу"
        " | Годовой отчёт агентства",
        "chinese": "王小明 | 体育部长 | 亚洲体育联合会 | sports_federation | 中国 | CN | 杭州"
        " | 杭州体育论坛 | 亚洲国家 | 我们全力支持这一倡议 | 联合会年度报告",
    }.items()
}
_SCRIPTS = tuple(_CAST)
_STANCES = ("supports", "opposes", "welcomes", "condemns", "fears", "expects", "offers")


def _date(value: str, precision: str, **extra: Any) -> dict[str, Any]:
    return {"value": value, "precision": precision, **extra}


# The events start at each precision in turn: year, month and day.
_EVENT_DATES: dict[str, dict[str, Any]] = {
    "latin": {
        "start": _date("2025", "year", phrase="next year", source="source-latin", inferred=True),
        "status": "proposed",
    },
    "cyrillic": {
        "start": _date("2024-05", "month", phrase="in May"),
        "end": _date("2024-05-20", "day"),
        "status": "scheduled",
    },
    "chinese": {
        "start": _date("2024-04-02", "day"),
        "end": _date("2024-04-04", "day"),
        "status": "completed",
    },
}


class _Body:
    """An article body written sentence by sentence, giving evidence for what it says."""

    def __init__(self, article: str) -> None:
        self.article = article
        self.sentences: list[str] = []
        self.length = 0

    def add(self, sentence: str) -> dict[str, Any]:
        """Append ``sentence`` and return the evidence for it."""
        self.length += 1 if self.sentences else 0
        self.sentences.append(sentence)
        self.length += len(sentence)
        return self.mention(sentence)

    def mention(self, words: str) -> dict[str, Any]:
        """Evidence for ``words`` in the last sentence added."""
        start = self.length - len(self.sentences[-1]) + self.sentences[-1].index(words)
        return {"article": self.article, "start": start, "end": start + len(words), "text": words}

    @property
    def text(self) -> str:
        return " ".join(self.sentences)


def _entity(script: str, type_: str, /, **fields: Any) -> dict[str, Any]:
    return {"id": f"{type_}-{script}", "type": type_, "name": _CAST[script][type_], **fields}


def _entities(body: _Body) -> list[dict[str, Any]]:
    people = [cast["person"] for cast in _CAST.values()]
    body.add(f"{', '.join(people[:-1])} and {people[-1]} met this week.")
    out: list[dict[str, Any]] = []
    for script, cast in _CAST.items():
        country, mention = f"country-{script}", body.mention(cast["person"])
        out += [
            _entity(
                script, "person", roles=[cast["role"]], nationality=country, evidence=[mention]
            ),
            _entity(script, "organization", kind=cast["kind"], country=country),
            _entity(script, "country", iso_code=cast["iso"]),
            _entity(script, "place", country=country),
            _entity(
                script,
                "event",
                kind="forum",
                location=f"place-{script}",
                organizer=f"organization-{script}",
                **_EVENT_DATES[script],
            ),
            _entity(script, "group", members=[country], sources=[f"source-{script}"]),
        ]
    return out


def _statement(i: int, rng: random.Random, body: _Body) -> dict[str, Any]:
    script = _SCRIPTS[i % 3]
    cast = _CAST[script]
    person, org, event = cast["person"], cast["organization"], cast["event"]
    kind = ("quote", "claim", "decision", "relation")[i % 4]
    record: dict[str, Any] = {"id": f"{kind}-{i + 1}", "type": kind}
    if kind == "quote":
        text = f"{cast['quote']} ({i + 1})."
        sentence = f"{person} said: «{text}»"
        record |= {
            "summary": f"{person} backs the {event}.",
            "text": text,
            "speaker": f"person-{script}",
            "about": [f"event-{script}"],
        }
        if rng.random() < 0.5:
            record |= {"reported_by": "organization-cyrillic", "medium": "interview"}
    elif kind == "claim":
        stance = rng.choice(_STANCES)
        sentence = f"The {org} {stance} the {event}."
        record |= {
            "summary": sentence,
            "subject": f"organization-{script}",
            "stance": stance,
            "object": f"event-{script}",
        }
        if rng.random() < 0.5:
            record |= {"object_text": f"plans for the {event}", "attributed_to": f"person-{script}"}
    elif kind == "decision":
        sentence = f"The {org} decided to hold the {event} in {cast['place']}."
        effective = _date(
            f"2025-{rng.randint(1, 12):02d}",
            "month",
            phrase="from next year",
            source=f"source-{script}",
            inferred=True,
        )
        record |= {
            "summary": f"The {org} will hold the {event}.",
            "decided_by": f"organization-{script}",
            "decision": f"Hold the {event} in {cast['place']}.",
            "about": [f"event-{script}"],
            "effective": effective,
            "votes_for": rng.randint(0, 99),
            "votes_against": rng.randint(0, 99),
            "sources": [f"source-{script}"],
        }
    else:
        sentence = f"{person} is {cast['role']} of {cast['country']}."
        record |= {
            "summary": sentence,
            "subject": f"person-{script}",
            "relation": "role_in",
            "object": f"country-{script}",
            "role": cast["role"],
        }
    record["evidence"] = [body.add(sentence)]
    if rng.random() < 0.7:
        precision = rng.choice(("year", "month", "day"))
        value = f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        record["date"] = _date(value[: {"year": 4, "month": 7, "day": 10}[precision]], precision)
    return record


def make_dataset(n_statements: int = 12, *, seed: int = 0) -> Dataset:
    """A valid, generated dataset for tests; the same arguments always give the same dataset.

    It has two articles, every entity type, and text in Latin (with
    diacritics), Cyrillic and Chinese. Statements take turns as quote, claim,
    decision and relation, and as Latin, Cyrillic and Chinese, so 12 or more
    statements include every statement type in every script. Dates come in
    every precision: year, month and day. ``seed`` varies stances, dates and
    votes, never validity.
    """
    rng = random.Random(seed)
    bodies = [_Body("article-1"), _Body("article-2")]
    entities = _entities(bodies[0])
    bodies[1].add(f"Große Pläne für den Sport: {_CAST['latin']['event']}.")
    statements = [_statement(i, rng, bodies[i % 2]) for i in range(n_statements)]
    articles = [
        _article(
            1,
            "Sports ministers back forums in Novosibirsk and Hangzhou",
            "cyrillic",
            _date("2024-03-15", "day", phrase="on Friday"),
            bodies[0].text,
        ),
        _article(
            2,
            "Große Pläne für den Sport am Wörthersee",
            "latin",
            _date("2024-03", "month", source="source-latin", inferred=True),
            bodies[1].text,
        ),
    ]
    sources = [
        {
            "id": f"source-{script}",
            "title": cast["source"],
            "url": f"https://example.org/sources/{script}",
            "publisher": cast["organization"],
            "published": _date("2023", "year"),
        }
        for script, cast in _CAST.items()
    ]
    title = f"Generated dataset (seed {seed}, {n_statements} statements)"
    return _dataset(f"generated-{seed}", title, articles, entities, statements, sources)


def _article(
    n: int, headline: str, publisher: str, published: dict[str, Any], body: str
) -> dict[str, Any]:
    return {
        "id": f"article-{n}",
        "headline": headline,
        "url": f"https://example.org/news/{n}",
        "publisher": f"organization-{publisher}",
        "published": published,
        "language": "en",
        "body": body,
    }


def _dataset(id: str, title: str, *sections: list[dict[str, Any]]) -> Dataset:
    names = ("articles", "entities", "statements", "sources")
    return load(
        {
            "schema_version": SCHEMA_VERSION,
            "id": id,
            "title": title,
            "modified": MODIFIED,
            **dict(zip(names, sections, strict=True)),
        }
    )


def empty_dataset(*, with_article: bool = False) -> Dataset:
    """A dataset with no records; ``with_article=True`` gives it one article and its publisher."""
    if not with_article:
        return _dataset("empty", "An empty dataset", [], [], [], [])
    publisher = {"id": "organization-x", "type": "organization", "name": "Publisher"}
    article = _article(1, "Nothing happened", "x", _date("2024", "year"), "Nothing happened.")
    return _dataset("one-article", "One article", [article], [publisher], [], [])


# Media types ------------------------------------------------------------------

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
        return {path.name: path.read_bytes()}
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
        listed = {e.name: e for e in formats()}
        problems = [str(f) for f in plugins.failures() if f.plugin == self.exporter.plugin]
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
        try:
            texts = self._texts("generated-a")
        except AssertionError as error:
            raise _Skip(f"the output cannot be read as text: {error}") from None
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
) -> tuple[list[str], tuple[object, str] | None]:
    """The format names to check, and the plugin to register first with its name, if any."""
    if isinstance(target, str):
        return [target], None
    if isinstance(target, Exporter):
        return [target.name], (target, plugin_name or f"storyfacts.testing.{target.name}")
    name = plugin_name or getattr(target, "__name__", None) or type(target).__name__
    return [], (target, name)


def _not_listed(format_name: str, plugin_name: str | None) -> str | None:
    """Why the exporter to check is not the one listed as ``format_name``; None when it is."""
    found = plugins.exporters().get(format_name)
    if found is None:
        known = ", ".join(plugins.exporters()) or "none"
        failures = "; ".join(str(f) for f in plugins.failures()) or "none"
        return (
            f"no exporter is called {format_name!r} (formats: {known}; plugin failures: {failures})"
        )
    if plugin_name is not None and found.plugin != plugin_name:
        hidden = "; ".join(str(f) for f in plugins.failures() if f.plugin == plugin_name)
        return hidden or f"plugin {found.plugin!r} provides {format_name!r} instead"
    return None


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
    names, registration = _resolve(exporter, plugin_name)
    plugin_name = registration[1] if registration else None
    checks: list[Check] = []
    with contextlib.ExitStack() as stack:
        if registration is not None:
            stack.enter_context(registered(*registration))
            names = names or [e.name for e in formats() if e.plugin == plugin_name]
            if not names:
                refusals = "; ".join(str(f) for f in plugins.failures() if f.plugin == plugin_name)
                reason = refusals or "the plugin registered no exporter"
                checks.append(Check(str(plugin_name), "registers an exporter", "failed", reason))
        if directory is None:
            directory = stack.enter_context(tempfile.TemporaryDirectory(prefix="storyfacts-"))
        Path(directory).mkdir(parents=True, exist_ok=True)
        for name in names:
            problem = _not_listed(name, plugin_name)
            if problem:
                checks.append(Check(name, "is listed by storyfacts formats", "failed", problem))
                continue
            # A fresh folder each time, so that checking twice into one directory works.
            scratch = Path(tempfile.mkdtemp(prefix=f"conformance-{name}-", dir=directory))
            checks += _Conformance(plugins.exporter(name), scratch, n_statements, seed).run()
    report = Report(tuple(checks))
    if not report.ok:
        raise ConformanceError(report)
    return report
