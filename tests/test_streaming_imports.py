"""What `storyfacts validate FILE` imports: only what checking the file needs.

The peak memory of validating a dataset file is a benchmark
(benchmarks/validate_cli.py), never a test; a 10 MB file cannot amortise the
libraries of a whole process, so these tests guard the import graph that the
peak depends on. Each runs the command in a fresh interpreter, since this one
has imported everything already.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import generate  # benchmarks/generate.py, on the path through pytest's pythonpath

import storyfacts
from storyfacts import loading
from storyfacts.cli import validate as validate_command
from storyfacts.corpus.lines import dump_lines
from storyfacts.streaming.document import document_problems

#: What checking valid data never needs: the detailed validator and what it
#: brings (only invalid data is described in detail), the fuzzy search of
#: evidence (only evidence not found at its offsets is searched for), the
#: suggestions of a "did you mean" (only a problem has one), loading
#: a dataset (the model's converter, the fingerprints of a checked dataset,
#: whose hashlib loads OpenSSL), and every writer's and reader's library.
NOT_FOR_VALID_DATA = (
    "jsonschema",
    "referencing",
    "rpds",
    "rfc3987_syntax",
    "rfc3339_validator",
    "rfc3986_validator",
    "lark",
    "rapidfuzz",
    "difflib",
    "hashlib",
    "_hashlib",
    "cattrs",
    "storyfacts.loading",
    "storyfacts.validity",
    "storyfacts.convert",
    "storyfacts.workbook",
    "storyfacts.plugins",
    "openpyxl",
    "xlsxwriter",
    "icalendar",
    "pycountry",
    "pluggy",
    "dask",
)


def validate_modules(*arguments: str) -> tuple[int, set[str]]:
    """Exit code and the modules a fresh interpreter holds after `storyfacts validate ARGS`."""
    script = (
        "import contextlib, io, json, sys\n"
        "from storyfacts.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    code = main(['validate', *{list(arguments)!r}])\n"
        "print(json.dumps([code, sorted(sys.modules)]))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    code, modules = json.loads(result.stdout)
    return code, set(modules)


def test_validating_a_dataset_file_imports_only_the_checks(tmp_path: Path) -> None:
    path = tmp_path / "dataset.json"
    path.write_text(json.dumps(generate.generate(200, seed=3), indent=2), encoding="utf-8")
    code, loaded = validate_modules(str(path))
    assert code == 0
    # The file is checked as a stream, by the fast validator and the integrity pass.
    assert {
        "storyfacts.streaming.document",
        "storyfacts.integrity",
        "jsonschema_rs",
        "orjson",
    } <= loaded
    assert not loaded & set(NOT_FOR_VALID_DATA)


def test_validating_the_bundled_dataset_imports_only_the_checks() -> None:
    code, loaded = validate_modules()
    assert code == 0
    assert "storyfacts.streaming.document" in loaded
    assert not loaded & set(NOT_FOR_VALID_DATA)


def test_validating_a_corpus_imports_only_the_checks(tmp_path: Path) -> None:
    corpus = dump_lines(storyfacts.load_bundled(), tmp_path / "corpus")
    code, loaded = validate_modules(str(corpus))
    assert code == 0
    assert "storyfacts.streaming.corpus" in loaded
    assert not loaded & set(NOT_FOR_VALID_DATA)


def test_evidence_off_its_offsets_brings_the_fuzzy_search(tmp_path: Path) -> None:
    """The guard above is not vacuous: a passage misquoted is searched for, with rapidfuzz."""
    data = storyfacts.dump(storyfacts.load_bundled())
    evidence = data["statements"][0]["evidence"][0]
    evidence["text"] = evidence["text"][:-2] + "#"
    path = tmp_path / "moved.json"
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    code, loaded = validate_modules(str(path))
    assert code == 1
    assert "rapidfuzz" in loaded
    assert "storyfacts.loading" not in loaded


def test_a_file_of_unusual_shape_goes_to_storyfacts_validate(tmp_path: Path) -> None:
    path = tmp_path / "twice.json"
    path.write_text('{"id": "a", "id": "b"}', encoding="utf-8")
    code, loaded = validate_modules(str(path))
    assert code == 1
    assert "storyfacts.loading" in loaded


def test_the_command_reads_the_workbook_suffixes_loading_reads() -> None:
    assert validate_command.WORKBOOK_SUFFIXES == loading.WORKBOOK_SUFFIXES


def test_a_file_found_unusual_is_read_again_once_changed(tmp_path: Path) -> None:
    """document_problems remembers the last file it found unusual, by its state on disk."""
    path = tmp_path / "dataset.json"
    shutil.copyfile(storyfacts.bundled_path(), path)
    valid = path.read_text(encoding="utf-8")
    path.write_text(valid[:-5], encoding="utf-8")  # cut short: not JSON
    assert document_problems(path) is None
    assert document_problems(path) is None
    path.write_text(valid, encoding="utf-8")
    status = path.stat()
    # Changed within the same clock tick, the file still differs in size.
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns))
    assert document_problems(path) == []
