"""storyfacts.entry_points finds what importlib.metadata finds, without importing it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

PROBE = """
import json, sys
import importlib.metadata
from storyfacts.entry_points import entry_points
ours = [(e.name, e.value, e.dist.name, e.dist.version) for e in entry_points("storyfacts")]
theirs = [
    (e.name, e.value, e.dist.name, e.dist.version)
    for e in importlib.metadata.entry_points(group="storyfacts")
]
print(json.dumps([ours, theirs]))
"""


def _distribution(
    where: Path, folder: str, name: str, version: str, entry_points: str, meta: str = "METADATA"
) -> None:
    info = where / folder
    info.mkdir(parents=True)
    (info / meta).write_text(
        f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n\nName: not this one\n",
        encoding="utf-8",
    )
    (info / "entry_points.txt").write_text(entry_points, encoding="utf-8")


def _both(path: list[Path]) -> tuple[list[list[str]], list[list[str]]]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(str(p) for p in path)}
    done = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=True
    )
    ours, theirs = json.loads(done.stdout)
    return ours, theirs


def test_the_same_entry_points_as_importlib_metadata(tmp_path: Path) -> None:
    """Comments, other groups, extras, an egg-info, a name hidden by an earlier path: all agree."""
    first, second = tmp_path / "first", tmp_path / "second"
    _distribution(
        first,
        "sf_alpha-1.0.dist-info",
        "sf-alpha",
        "1.0",
        "[console_scripts]\nalpha = sf_alpha:main\n\n[storyfacts]\n# a comment\n"
        "alpha = sf_alpha\nalpha-extra = sf_alpha.sub:plugin.inner [fast]\n",
    )
    _distribution(
        second,
        "SF.Alpha-2.0.dist-info",  # the same name, normalised: hidden by first's
        "SF.Alpha",
        "2.0",
        "[storyfacts]\nhidden = sf_alpha_two\n",
    )
    _distribution(
        second, "sf_beta-0.3.egg-info", "sf-beta", "0.3", "[storyfacts]\nbeta=sf_beta\n", "PKG-INFO"
    )
    _distribution(second, "sf_gamma-1.dist-info", "sf-gamma", "1", "[other]\ngamma = x\n")
    ours, theirs = _both([first, second])
    assert ours == theirs
    mine = [entry for entry in ours if entry[2] in ("sf-alpha", "sf-beta")]
    assert mine == [
        ["alpha", "sf_alpha", "sf-alpha", "1.0"],
        ["alpha-extra", "sf_alpha.sub:plugin.inner [fast]", "sf-alpha", "1.0"],
        ["beta", "sf_beta", "sf-beta", "0.3"],
    ]


def test_a_zip_on_the_path_is_left_to_importlib_metadata(tmp_path: Path) -> None:
    """A distribution inside a zip file on sys.path is found, by importlib.metadata itself."""
    archive = tmp_path / "plugins.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("sf_zipped-1.0.dist-info/METADATA", "Name: sf-zipped\nVersion: 1.0\n")
        zipped.writestr("sf_zipped-1.0.dist-info/entry_points.txt", "[storyfacts]\nz = sf_z\n")
    ours, theirs = _both([archive])
    assert ours == theirs
    assert ["z", "sf_z", "sf-zipped", "1.0"] in ours


@pytest.mark.parametrize(
    ("value", "expected"),
    [("json", json), ("json:dumps", json.dumps), ("os.path:join", os.path.join)],
)
def test_load_imports_what_the_value_names(value: str, expected: object) -> None:
    """`module` loads the module, `module:attr` the attribute, as importlib.metadata does."""
    from storyfacts.entry_points import EntryPoint

    assert EntryPoint("probe", value, None).load() is expected
    assert EntryPoint("probe", f" {value} [extra]".strip(), None).load() is expected


def test_listing_formats_does_not_import_importlib_metadata() -> None:
    """The reason this module exists: `storyfacts formats` without the email package."""
    code = (
        "import sys, contextlib, io\n"
        "from storyfacts.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['formats'])\n"
        "print('importlib.metadata' in sys.modules, 'email.message' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "False"]
