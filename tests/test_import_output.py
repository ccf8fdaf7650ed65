"""`storyfacts import -o` where the output cannot be written: one sentence, exit 1, nothing lost."""

from __future__ import annotations

import contextlib
import errno
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import storyfacts

RunCli = Callable[..., tuple[int, str, str]]  # the run_cli fixture, from conftest.py


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled dataset as an editor's workbook."""
    path = tmp_path_factory.mktemp("workbook") / "story.xlsx"
    storyfacts.export(None, "xlsx", path)
    return path


@contextlib.contextmanager
def _tmpfs(where: Path, options: str) -> Iterator[Path]:
    where.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(where)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root and the right to mount)")
    try:
        yield where
    finally:
        subprocess.run(["umount", str(where)], check=True)


def _assert_one_sentence(err: str, *words: str) -> None:
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("storyfacts: Writing ")
    assert "failed, and nothing was written" in lines[0]
    for word in words:
        assert word in lines[0]
    assert "Traceback" not in err


def test_a_full_disk_gives_one_sentence_and_keeps_the_old_file(
    run_cli: RunCli, workbook: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ENOSPC while writing: exit 1, one sentence, the existing file unchanged, no temp left."""
    target = tmp_path / "story.json"
    target.write_text("the editor's last good copy")

    def full(self: Path, *args: object, **kwargs: object) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Path, "write_text", full)
    code, out, err = run_cli("import", str(workbook), "-o", str(target))
    monkeypatch.undo()
    assert code == 1
    assert out == ""
    _assert_one_sentence(err, "No space left on device")
    assert target.read_text() == "the editor's last good copy"
    assert [p.name for p in tmp_path.iterdir()] == ["story.json"]


def test_a_read_only_directory_gives_one_sentence(
    run_cli: RunCli, workbook: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A directory storyfacts may not write to (simulated: root may write anywhere)."""

    def refuse(*args: object, **kwargs: object) -> tuple[int, str]:
        raise PermissionError(errno.EACCES, "Permission denied", str(tmp_path))

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    code, out, err = run_cli("import", str(workbook), "-o", str(tmp_path / "story.json"))
    assert code == 1
    assert out == ""
    _assert_one_sentence(err, "Permission denied")
    assert list(tmp_path.iterdir()) == []


def test_an_existing_directory_is_not_replaced(
    run_cli: RunCli, workbook: Path, tmp_path: Path
) -> None:
    """-o naming a directory: refused in one sentence, the directory and its files kept."""
    target = tmp_path / "story"
    target.mkdir()
    (target / "notes.txt").write_text("keep")
    code, _, err = run_cli("import", str(workbook), "-o", str(target))
    assert code == 1
    _assert_one_sentence(err, "is not a file")
    assert (target / "notes.txt").read_text() == "keep"


def test_a_real_full_tmpfs_and_a_read_only_mount(
    run_cli: RunCli, workbook: Path, tmp_path: Path
) -> None:
    """On real mounts (where the test may mount): a 16 KiB tmpfs, and a read-only one."""
    with _tmpfs(tmp_path / "full", "size=16k") as full:
        (full / "story.json").write_text("old")
        code, _, err = run_cli("import", str(workbook), "-o", str(full / "story.json"))
        assert code == 1
        _assert_one_sentence(err, "No space left on device")
        assert (full / "story.json").read_text() == "old"
        assert [p.name for p in full.iterdir()] == ["story.json"]
    with _tmpfs(tmp_path / "read-only", "size=16k,ro") as read_only:
        code, _, err = run_cli("import", str(workbook), "-o", str(read_only / "story.json"))
        assert code == 1
        _assert_one_sentence(err, "Read-only file system")
        assert list(read_only.iterdir()) == []
