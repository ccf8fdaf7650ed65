"""The validate and schema commands: output, --json, and exit codes 0, 1 and 2."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

RunCli = Callable[..., tuple[int, str, str]]  # the run_cli fixture, from conftest.py


def _save(tmp_path: Path, data: Any, name: str = "broken.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_validate_bundled_by_default(run_cli: RunCli) -> None:
    """With no path, the bundled dataset is checked and found valid (exit 0)."""
    code, out, _ = run_cli("validate")
    assert code == 0
    assert out.strip().endswith("putin-xi-olympics-2023.json: valid")


def test_validate_lists_every_problem(
    run_cli: RunCli, tmp_path: Path, seed_data: dict[str, Any]
) -> None:
    """An invalid file exits 1 and lists each problem on its own line with its path."""
    seed_data["entities"][0]["name"] = ""
    seed_data["statements"][0]["summary"] = 3
    code, out, _ = run_cli("validate", str(_save(tmp_path, seed_data)))
    assert code == 1
    lines = out.splitlines()
    assert lines[0].endswith("broken.json: 2 problems")
    assert lines[1].startswith("  $.entities[0].name: ")
    assert lines[2].startswith("  $.statements[0].summary: ")


def test_validate_json_output(run_cli: RunCli, tmp_path: Path, seed_data: dict[str, Any]) -> None:
    """--json prints every file's verdict and problems for tools."""
    seed_data["entities"][0]["type"] = "persn"
    good = _save(tmp_path, json.loads(json.dumps(seed_data)) | {"title": "ok"}, "a.json")
    seed_data["entities"][0]["type"] = "persn"
    code, out, _ = run_cli("validate", "--json", str(good))
    result = json.loads(out)
    assert code == 1
    assert result[0]["valid"] is False
    assert result[0]["problems"][0]["path"] == "$.entities[0].type"
    assert result[0]["problems"][0]["code"] == "not-allowed"


def test_validate_several_files_worst_exit_code(
    run_cli: RunCli, tmp_path: Path, seed_data: dict[str, Any]
) -> None:
    """A missing file among valid ones gives exit 2, and the others are still checked."""
    good = _save(tmp_path, seed_data, "good.json")
    code, out, err = run_cli("validate", str(good), str(tmp_path / "missing.json"))
    assert code == 2
    assert "good.json: valid" in out
    assert "missing.json: no such file" in err


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", "is not valid JSON"),
        (b"\xff\xfe{}", "is not valid UTF-8"),
    ],
)
def test_unreadable_files_exit_2_without_traceback(
    run_cli: RunCli, tmp_path: Path, content: bytes, message: str
) -> None:
    """Unreadable input exits 2 with one line naming the file."""
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    code, _, err = run_cli("validate", str(path))
    assert code == 2
    assert message in err
    assert "Traceback" not in err


def test_directory_exits_2(run_cli: RunCli, tmp_path: Path) -> None:
    """A directory given as a dataset exits 2."""
    code, _, err = run_cli("validate", str(tmp_path))
    assert code == 2
    assert "is a directory" in err


def test_usage_error_exits_2(run_cli: RunCli) -> None:
    """An unknown option is a usage error (exit 2)."""
    code, _, err = run_cli("validate", "--no-such-option")
    assert code == 2
    assert "No such option '--no-such-option'" in err


def test_no_command_exits_2(run_cli: RunCli) -> None:
    """Running with no command is a usage error."""
    code, _, _ = run_cli()
    assert code == 2


def test_schema_command_prints_a_usable_schema(run_cli: RunCli, seed_data: dict[str, Any]) -> None:
    """`storyfacts schema` prints one self-contained Draft 2020-12 schema."""
    code, out, _ = run_cli("schema")
    assert code == 0
    schema = json.loads(out)
    Draft202012Validator.check_schema(schema)
    refs = [line for line in out.splitlines() if '"$ref"' in line]
    assert refs and all('"#/$defs/' in line for line in refs)
    # A plain validator with no registry at all can use it as it is.
    assert list(Draft202012Validator(schema).iter_errors(seed_data)) == []
    seed_data["entities"][0]["type"] = "persn"
    assert list(Draft202012Validator(schema).iter_errors(seed_data))
