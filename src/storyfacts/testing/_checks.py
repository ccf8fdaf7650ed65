"""The checks the conformance kit runs on one exporter, each recorded as a :class:`Check`."""

from __future__ import annotations

import contextlib
import io
import json
import unicodedata
from collections.abc import Callable
from pathlib import Path

import attrs

from .. import cli, formats, plugins
from ..contract import ExportContext, Exporter
from ..errors import ExportError
from ..exporting import export
from ..loading import load_bundled
from ..model import Dataset
from ._accounting import account
from ._datasets import empty_dataset, make_dataset
from ._reading import is_json, is_text_media_type, media_types_for, script_texts, searchable
from ._registration import registered
from ._report import Check

__all__ = ["PROBE_FORMAT", "PROBE_PLUGIN", "Conformance"]

PROBE_FORMAT = "conformance-probe"
PROBE_PLUGIN = "storyfacts.testing.probe"
# The exports of the bundled and generated datasets that later checks read.
WRITTEN = ("bundled-a", "generated-a")
_SENTINEL = b"An existing file that a failed export must leave exactly as it was.\n"


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


class Conformance:
    """Runs the checks on one registered exporter, inside a scratch directory."""

    def __init__(self, exporter: Exporter, workdir: Path, n_statements: int, seed: int) -> None:
        self.exporter = exporter
        self.workdir = workdir
        self.generated = make_dataset(n_statements, seed=seed)
        self.checks: list[Check] = []
        self.outputs: dict[str, Path] = {}
        self.progress: list[tuple[str, list[tuple[int, int]]]] = []
        # Exports that failed: a check that depends on them is skipped, not
        # passed, so fixing the write does not reveal failures hidden behind it.
        self.unwritten: list[str] = []

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
        self._check("writes every field it does not declare omitted", self._fields)
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
        try:
            return self._exported(label, dataset)
        except ExportError as error:
            raise AssertionError(error.reason) from None

    def _needs_writing(self, *labels: str) -> None:
        """Skip a check that depends on exports the exporter failed to write."""
        failed = [label.removesuffix("-a") for label in labels if label in self.unwritten]
        if failed:
            which = " and ".join(failed)
            raise _Skip(f"writing the {which} dataset failed, so this was not checked")

    def _exported(self, label: str, dataset: Dataset) -> Path:
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
        except BaseException:
            self.unwritten.append(label)
            raise
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
        # The listing adds where the plugin comes from to what was declared.
        declared = [
            {k: v for k, v in r.items() if k not in ("distribution", "version")} for r in rows
        ]
        if declared != [self.exporter.to_dict()]:
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
        self._needs_writing(*WRITTEN)
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
            if is_json(media_type):
                try:
                    json.loads(text)
                except ValueError as error:
                    raise AssertionError(f"{name} ({media_type}) is not JSON: {error}") from None
            out[name] = text
        if not out:
            raise _Skip(f"{self.exporter.media_type} output is binary")
        return out

    def _encoding(self) -> str | None:
        self._needs_writing(*WRITTEN)
        self._texts("bundled-a")
        self._texts("generated-a")
        return None

    def _unicode(self) -> str | None:
        self._needs_writing("generated-a")
        try:
            texts = self._texts("generated-a")
        except AssertionError as error:
            raise _Skip(f"the output cannot be read as text: {error}") from None
        found = "\n".join(searchable(text, self.exporter.media_type) for text in texts.values())
        found = unicodedata.normalize("NFC", found)
        missing = []
        for script, words in script_texts(self.generated).items():
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
        self._needs_writing("bundled-a")
        real_write = self.exporter.write
        wrote: list[bool] = []

        def interrupted(dataset: Dataset, path: Path, context: ExportContext) -> None:
            real_write(dataset, path, context)
            wrote.append(True)
            raise _SimulatedFailure("simulated failure after the exporter wrote its output")

        probe = attrs.evolve(self.exporter, name=PROBE_FORMAT, write=interrupted, plugin="")
        with registered(probe, PROBE_PLUGIN):
            try:
                export(load_bundled(), PROBE_FORMAT, target)
            except ExportError:
                pass
            else:
                raise AssertionError("the export succeeded although its write raised")
        if not wrote:
            raise _Skip("the exporter's own write failed before the simulated failure")
        after = _snapshot(folder)
        changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
        assert not changed, (
            "after a failed export these changed beside the target: "
            + ", ".join(changed)
            + "; write only inside the path storyfacts gives you"
        )
        return None

    def _progress(self) -> str | None:
        self._needs_writing(*WRITTEN)
        reported = 0
        for label, reports in self.progress:
            last = 0
            for done, total in reports:
                assert done <= total, f"exporting {label}: progress {done} exceeds total {total}"
                assert done >= last, f"exporting {label}: progress went back from {last} to {done}"
                last = done
            reported += len(reports)
        return None if reported else "the exporter reports no progress"

    def _fields(self) -> str | None:
        self._needs_writing(*WRITTEN)
        declared = self.exporter.omitted
        if declared is None:
            raise _Skip(
                "the exporter makes no promise: declare Exporter(omitted={...}) ({} when it "
                "writes every field) to have each field of the model checked"
            )
        found = account(self.exporter, declared, self.workdir / "fields")
        problems = []
        if found.unknown:
            problems.append(
                f"omitted names {', '.join(found.unknown)}, which the model does not have"
            )
        if found.silent:
            problems.append(
                f"removing {', '.join(found.silent)} changes nothing written: write each, "
                "or declare it in omitted with the reason"
            )
        if found.carried:
            problems.append(
                f"{', '.join(found.carried)} are declared omitted but written: "
                "take them out of omitted"
            )
        assert not problems, "; ".join(problems)
        return None
