"""What the conformance kit found: one :class:`Check` per check, gathered in a :class:`Report`."""

from __future__ import annotations

from typing import Literal

import attrs

__all__ = ["Check", "ConformanceError", "Outcome", "Report"]

Outcome = Literal["passed", "failed", "skipped"]


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
