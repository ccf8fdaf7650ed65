"""The built wheel works on its own: schema and seed data travel with it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("storyfacts-*.whl")
    return built


def test_wheel_carries_schema_seed_and_types(wheel: Path) -> None:
    """The wheel holds the schema, the seed dataset, the story and py.typed."""
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "storyfacts/_data/schemas/dataset.schema.json" in names
    assert "storyfacts/_data/seeds/putin-xi-olympics-2023.json" in names
    assert "storyfacts/_data/seeds/putin-xi-olympics-2023.txt" in names
    assert "storyfacts/py.typed" in names


@pytest.mark.slow
def test_installed_wheel_finds_its_data_without_the_source_tree(
    wheel: Path, tmp_path: Path
) -> None:
    """Installed from the wheel, with src/ out of the way, validate and schema work."""
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    env = {**os.environ, "PYTHONPATH": str(target)}
    probe = (
        "import json, storyfacts; "
        "text = storyfacts.bundled_path().with_suffix('.txt').read_text(encoding='utf-8'); "
        "draft = storyfacts.draft(text, published='2023-03-22'); "
        "print(json.dumps([storyfacts.__file__, str(storyfacts.bundled_path()), "
        "len(storyfacts.load_bundled().statements), len(draft.statements)]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    module_file, seed, count, drafted = json.loads(result.stdout)
    assert module_file.startswith(str(target))
    assert seed.startswith(str(target))
    assert count > 0
    assert drafted == 10  # the drafter works from the wheel: the story's ten quotes
    validate = subprocess.run(
        [sys.executable, "-m", "storyfacts", "validate"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert validate.returncode == 0, validate.stderr
    assert "valid" in validate.stdout
    schema = subprocess.run(
        [sys.executable, "-m", "storyfacts", "schema"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(schema.stdout)["$schema"].endswith("2020-12/schema")
