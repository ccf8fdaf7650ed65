"""The Python examples in the README and in docs/building.md run, and print what they show."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BLOCK = re.compile(r"^```(\w+)\n(.*?)^```\n", re.S | re.M)


def examples(path: Path) -> list[tuple[str, str | None]]:
    """Each ``python`` block of a Markdown file, with the ``text`` block right after it, if any."""
    text = path.read_text(encoding="utf-8")
    blocks = [(m.group(1), m.group(2), m.start(), m.end()) for m in BLOCK.finditer(text)]
    found: list[tuple[str, str | None]] = []
    for i, (language, code, _, end) in enumerate(blocks):
        if language != "python":
            continue
        output = None
        if i + 1 < len(blocks):
            next_language, next_code, next_start, _ = blocks[i + 1]
            if next_language == "text" and not text[end:next_start].strip():
                output = next_code
        found.append((code, output))
    return found


def run(code: str, namespace: dict[str, object]) -> str:
    """Run ``code`` in ``namespace`` and return what it printed."""
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(code, "<docs example>", "exec"), namespace)
    return printed.getvalue()


def test_building_page_examples_print_what_they_show() -> None:
    """Each example of docs/building.md, run in order, prints exactly its output block."""
    found = examples(ROOT / "docs" / "building.md")
    assert len(found) == 5
    namespace: dict[str, object] = {}
    for code, output in found:
        assert output is not None, f"no output shown under:\n{code}"
        assert run(code, namespace) == output


def test_readme_python_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The README's Python example runs as written and finds the bundled dataset valid."""
    monkeypatch.chdir(tmp_path)
    readme = ROOT / "README.md"
    code, _ = next(e for e in examples(readme) if "storyfacts.export(" in e[0])
    printed = run(code, {}).splitlines()
    assert printed[0] == "[]"
    assert {"csv", "ics", "json", "jsonld", "xlsx"} <= set(eval(printed[1]))
    assert (tmp_path / "story.xlsx").stat().st_size > 0


def test_readme_building_example_runs() -> None:
    """The README's example of building a record runs and prints its output block."""
    readme = ROOT / "README.md"
    code, output = next(e for e in examples(readme) if "Person(" in e[0])
    assert output is not None
    assert run(code, {}) == output
