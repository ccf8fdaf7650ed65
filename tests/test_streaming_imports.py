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
from typing import Any

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
    "storyfacts.model",
    "storyfacts.partial_dates",
    "storyfacts.anchoring",
    "storyfacts.schema_words",
    "openpyxl",
    "xlsxwriter",
    "icalendar",
    "pycountry",
    "pluggy",
    "dask",
    # jsonschema_rs's extension asks email.utils for one function when it
    # loads; email.utils brings socket, random, urllib.parse and the mail codecs.
    "email.utils",
    "socket",
    # tempfile brings shutil (and the bz2 and lzma libraries) and random; the
    # temporary file is made without it (storyfacts.streaming.spill).
    "tempfile",
    "shutil",
    "random",
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


def fresh(script: str) -> Any:
    """What ``script`` prints as JSON, run in a fresh interpreter."""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_jsonschema_rs_loads_without_email_utils_and_keeps_its_build_time() -> None:
    """The stand-in's datetime is the one the real email.utils makes of the same text."""
    imported, build_time, real = fresh(
        "import json, sys\n"
        "import storyfacts.validation\n"
        "imported = sorted(m for m in ('email.utils', 'socket') if m in sys.modules)\n"
        "from jsonschema_rs import jsonschema_rs\n"
        "build_time = jsonschema_rs.__build__['info-time']\n"
        "import email.utils\n"
        "real = email.utils.parsedate_to_datetime(email.utils.format_datetime(build_time))\n"
        "print(json.dumps([imported, repr(build_time), repr(real)]))\n"
    )
    assert imported == []
    assert "datetime.datetime(" in build_time
    assert build_time == real


def test_the_email_utils_stand_in_gives_what_it_lacks_from_the_real_module() -> None:
    answers = fresh(
        "import json, sys\n"
        "from storyfacts.schema import _email_utils_stand_in\n"
        "with _email_utils_stand_in():\n"
        "    stand_in = sys.modules['email.utils']\n"
        "    alone = 'socket' not in sys.modules\n"
        "    when = repr(stand_in.parsedate_to_datetime('Thu, 12 Nov 2026 07:50:16 -0530'))\n"
        "    address = stand_in.formataddr(('A', 'a@example.org'))\n"
        "import email.utils\n"
        "real = repr(email.utils.parsedate_to_datetime('Thu, 12 Nov 2026 07:50:16 -0530'))\n"
        "print(json.dumps([alone, when == real, address, email.utils is not stand_in]))\n"
    )
    assert answers == [True, True, "A <a@example.org>", True]
