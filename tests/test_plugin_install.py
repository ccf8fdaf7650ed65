"""Plugins installed for real: wheels built, installed into fresh virtual environments, run.

Everything happens offline. The wheels are built with this environment's pip
and hatchling; each new environment sees this environment's third-party
packages (storyfacts' dependencies, pip, pytest) through a ``.pth`` file, but
never its storyfacts or any plugin, so what runs there is only what was
installed there from the wheels.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import sysconfig
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.slow

# Wheels are built offline with this environment's own build backend and pip.
pytest.importorskip("hatchling", reason="building the wheels offline needs hatchling installed")
pytest.importorskip("pip", reason="installing the wheels needs pip")

ROOT = Path(__file__).resolve().parent.parent
MARKDOWN = ROOT / "plugins" / "storyfacts-markdown"
BROKEN = Path(__file__).resolve().parent / "fixtures" / "broken_plugins"
OFFLINE = ("--no-deps", "--no-index", "--disable-pip-version-check", "--quiet")
EXISTING = b"The editor's copy, which must survive byte for byte.\n"


def run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("STORYFACTS_", "PYTHON"))}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
        check=False,
    )


def tutorial_package(folder: Path) -> Path:
    """Lay out the package the tutorial builds, from the files the tutorial shows."""
    text = (ROOT / "docs" / "plugins" / "tutorial.md").read_text(encoding="utf-8")
    files = re.findall(r"^Create `([^`]+)`:\n\n```[a-z]*\n(.*?)^```$", text, re.M | re.S)
    package = folder / "storyfacts-quotes"
    for name, content in files:
        (package / name).parent.mkdir(parents=True, exist_ok=True)
        (package / name).write_text(content, encoding="utf-8")
    return package


@pytest.fixture(scope="module")
def wheels(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Wheels of storyfacts, the example plugin, the tutorial's plugin and the broken plugins."""
    folder = tmp_path_factory.mktemp("wheels")
    sources = [ROOT, MARKDOWN, tutorial_package(folder), *sorted(BROKEN.iterdir())]
    pip_wheel = (sys.executable, "-m", "pip", "wheel", "--no-build-isolation", *OFFLINE)
    built = run(*pip_wheel, "-w", folder, *sources)
    assert built.returncode == 0, built.stderr
    found = {path.name.split("-")[0]: path for path in folder.glob("*.whl")}
    assert len(found) == len(sources), sorted(found)
    return found


def make_environment(folder: Path, wheels: list[Path]) -> Path:
    """A new virtual environment with ``wheels`` installed; returns its bin directory."""
    made = run(sys.executable, "-m", "venv", "--without-pip", folder)
    assert made.returncode == 0, made.stderr
    bin_dir = folder / "bin"
    python = bin_dir / "python"
    purelib = run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])")
    site = Path(purelib.stdout.strip())
    # Only third-party packages are lent: storyfacts and plugins must come from the wheels.
    lent = folder / "lent-packages"
    lent.mkdir()
    for entry in Path(sysconfig.get_paths()["purelib"]).iterdir():
        name = entry.name.lower()
        ours = name.startswith(("storyfacts", "_editable", "__editable__"))
        if not ours and name != "__pycache__" and not name.endswith(".pth"):
            (lent / entry.name).symlink_to(entry)
    (site / "lent_packages.pth").write_text(f"{lent}\n", encoding="utf-8")
    installed = run(python, "-m", "pip", "install", *OFFLINE, *wheels)
    assert installed.returncode == 0, installed.stderr
    return bin_dir


@pytest.fixture(scope="module")
def clean_env(wheels: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An environment with storyfacts, the markdown plugin and the tutorial's plugin."""
    chosen = [wheels[n] for n in ("storyfacts", "storyfacts_markdown", "storyfacts_quotes")]
    return make_environment(tmp_path_factory.mktemp("clean-env"), chosen)


@pytest.fixture(scope="module")
def broken_env(wheels: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An environment with storyfacts, the markdown plugin and every broken plugin."""
    broken = [wheels[package.name.replace("-", "_")] for package in sorted(BROKEN.iterdir())]
    chosen = [wheels["storyfacts"], wheels["storyfacts_markdown"], *broken]
    return make_environment(tmp_path_factory.mktemp("broken-env"), chosen)


def storyfacts_json(bin_dir: Path, *args: str) -> Any:
    result = run(bin_dir / "storyfacts", *args, "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_storyfacts_runs_from_the_installed_wheel(clean_env: Path) -> None:
    """The new environment imports storyfacts from its own site-packages, not from src/."""
    result = run(clean_env / "python", "-c", "import storyfacts; print(storyfacts.__file__)")
    assert result.returncode == 0, result.stderr
    assert Path(result.stdout.strip()).is_relative_to(clean_env.parent)


def test_installed_plugins_are_listed_beside_the_builtins(clean_env: Path) -> None:
    """After pip install, markdown and quotes are listed with their distributions."""
    formats = {row["name"]: row for row in storyfacts_json(clean_env, "formats")}
    assert formats["markdown"]["plugin"] == "markdown"
    assert (formats["markdown"]["extension"], formats["markdown"]["media_type"]) == (
        ".md",
        "text/markdown",
    )
    assert formats["quotes"]["plugin"] == "quotes"
    assert "json" in formats
    listing = storyfacts_json(clean_env, "plugins")
    plugins = {p["name"]: p for p in listing["plugins"]}
    assert plugins["markdown"] | {"hooks": None} == {
        "name": "markdown",
        "hooks": None,
        "distribution": "storyfacts-markdown",
        "version": "0.1.0",
        "builtin": False,
    }
    assert plugins["quotes"]["distribution"] == "storyfacts-quotes"
    assert not {"markdown", "quotes"} & {f["plugin"] for f in listing["failures"]}


def test_installed_markdown_plugin_exports_from_the_command_line(
    clean_env: Path, tmp_path: Path
) -> None:
    """`storyfacts export -f markdown -o x.md` writes the fact sheet of the bundled story."""
    result = run(clean_env / "storyfacts", "export", "-f", "markdown", "-o", "x.md", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "x.md"
    sheet = (tmp_path / "x.md").read_text(encoding="utf-8")
    assert "> — Vladimir Putin, reported by TASS\n" in sheet
    assert [p.name for p in tmp_path.iterdir()] == ["x.md"]


@pytest.mark.parametrize(
    "tests", [MARKDOWN / "tests", Path("storyfacts-quotes") / "tests"], ids=["markdown", "tutorial"]
)
def test_plugin_packages_pass_their_own_tests(
    clean_env: Path, wheels: dict[str, Path], tests: Path, tmp_path: Path
) -> None:
    """A plugin's own tests, the conformance kit among them, pass against the installed plugin."""
    folder = tests if tests.is_absolute() else wheels["storyfacts"].parent / tests
    # Its own base temp directory, inside this test's: pytest's default
    # (/tmp/pytest-of-USER) is shared by every pytest run on the machine, and
    # another run cleaning it up once failed this one with a warning.
    basetemp = tmp_path / "nested-basetemp"
    result = run(
        clean_env / "python",
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        f"--basetemp={basetemp}",
        folder,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"^\d+ passed", result.stdout.splitlines()[-1]), result.stdout
    assert any(basetemp.iterdir()), "the nested run's tmp_path was not under its own basetemp"


def test_broken_plugins_are_reported_by_name_and_distribution(broken_env: Path) -> None:
    """Each broken plugin is named with its distribution; the good plugins are listed."""
    listing = storyfacts_json(broken_env, "plugins")
    failures = {f["plugin"]: f for f in listing["failures"]}
    expected = {
        "broken-import": "failed to import: ModuleNotFoundError: No module named "
        "'storyfacts_missing_dependency'",
        "bad-hook": "Argument(s) {'verbose'} are declared in the hookimpl",
        "misspelled-hook": "unknown hook register_exporter;",
    }
    for plugin, reason in expected.items():
        assert reason in failures[plugin]["reason"]
        assert failures[plugin]["distribution"] == f"storyfacts-{plugin}"
    loaded = {p["name"] for p in listing["plugins"]}
    assert {"markdown", "failing-writer"} <= loaded
    assert not set(expected) & loaded


def test_other_plugins_keep_working_beside_broken_ones(broken_env: Path, tmp_path: Path) -> None:
    """With broken plugins installed, formats are listed and markdown still exports."""
    formats = run(broken_env / "storyfacts", "formats")
    assert formats.returncode == 0
    assert re.search(r"^markdown\s", formats.stdout, re.M)
    assert re.search(r"^failing\s", formats.stdout, re.M)
    assert "failed: Plugin 'bad-hook' (from storyfacts-bad-hook): bad hook" in formats.stderr
    result = run(broken_env / "storyfacts", "export", "-f", "markdown", "-o", "ok.md", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "ok.md").read_text(encoding="utf-8").startswith("# Putin and Xi")


def test_failing_installed_exporter_leaves_nothing_half_written(
    broken_env: Path, tmp_path: Path
) -> None:
    """A write that fails half-way exits 1, names the plugin, and leaves the old file intact."""
    (tmp_path / "out.txt").write_bytes(EXISTING)
    result = run(
        broken_env / "storyfacts", "export", "-f", "failing", "-o", "out.txt", cwd=tmp_path
    )
    assert result.returncode == 1
    assert (
        "storyfacts: Export to failing at out.txt failed, and nothing was written: RuntimeError: "
        "the disk filled up half-way (in exporter 'failing' of plugin 'failing-writer')"
    ) in result.stderr
    assert (tmp_path / "out.txt").read_bytes() == EXISTING
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_one_failing_format_spoils_only_its_own_output(broken_env: Path, tmp_path: Path) -> None:
    """Exporting markdown and failing together writes the sheet and nothing for the failure."""
    result = run(
        broken_env / "storyfacts", "export", "-f", "markdown,failing", "-o", "out", cwd=tmp_path
    )
    assert result.returncode == 1
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["putin-xi-olympics-2023.md"]
