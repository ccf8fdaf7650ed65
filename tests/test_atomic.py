"""The one shared write path: all or nothing, and an existing file survives a failure."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from storyfacts.atomic import replace_atomically


def _listing(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir())


def test_success_moves_the_file_into_place(tmp_path: Path) -> None:
    """A completed write replaces the target and leaves nothing else behind."""
    target = tmp_path / "out.txt"
    target.write_text("old")
    with replace_atomically(target) as temp:
        assert temp.parent == tmp_path
        temp.write_text("new")
        assert target.read_text() == "old"
    assert target.read_text() == "new"
    assert _listing(tmp_path) == ["out.txt"]


def test_failure_keeps_the_existing_file_byte_for_byte(tmp_path: Path) -> None:
    """An exception half-way leaves the old bytes and no temporary file."""
    target = tmp_path / "out.bin"
    original = bytes(range(256)) * 10
    target.write_bytes(original)
    with pytest.raises(RuntimeError), replace_atomically(target) as temp:
        temp.write_bytes(b"partial")
        raise RuntimeError("boom")
    assert target.read_bytes() == original
    assert _listing(tmp_path) == ["out.bin"]


def test_failure_with_no_existing_file_leaves_nothing(tmp_path: Path) -> None:
    """A failed first write leaves no file at all."""
    target = tmp_path / "out.txt"
    with pytest.raises(KeyboardInterrupt), replace_atomically(target) as temp:
        temp.write_text("partial")
        raise KeyboardInterrupt
    assert _listing(tmp_path) == []


def test_written_file_gets_ordinary_permissions(tmp_path: Path) -> None:
    """The result is readable by others as the umask allows, not 0600 like a temp file."""
    target = tmp_path / "out.txt"
    with replace_atomically(target) as temp:
        temp.write_text("x")
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~mask


def test_directory_output_replaces_the_old_directory_whole(tmp_path: Path) -> None:
    """A directory export swaps in the new tree; stale files of the old one go."""
    target = tmp_path / "tables"
    target.mkdir()
    (target / "stale.csv").write_text("old")
    with replace_atomically(target, directory=True) as temp:
        assert temp.is_dir()
        (temp / "fresh.csv").write_text("new")
    assert _listing(target) == ["fresh.csv"]
    assert _listing(tmp_path) == ["tables"]


def test_directory_failure_keeps_the_old_directory(tmp_path: Path) -> None:
    """A failed directory export leaves the old tree exactly as it was."""
    target = tmp_path / "tables"
    target.mkdir()
    (target / "a.csv").write_text("old")
    with pytest.raises(ValueError), replace_atomically(target, directory=True) as temp:
        (temp / "a.csv").write_text("partial")
        raise ValueError
    assert (target / "a.csv").read_text() == "old"
    assert _listing(tmp_path) == ["tables"]


def test_refuses_to_replace_a_directory_with_a_file(tmp_path: Path) -> None:
    """A file export aimed at an existing directory fails before writing anything."""
    (tmp_path / "out").mkdir()
    with pytest.raises(IsADirectoryError), replace_atomically(tmp_path / "out"):
        pytest.fail("the block must not run")
    assert _listing(tmp_path) == ["out"]


def test_creates_missing_parent_directories(tmp_path: Path) -> None:
    """The parent directory of the target is created when missing."""
    target = tmp_path / "a" / "b" / "out.txt"
    with replace_atomically(target) as temp:
        temp.write_text("x")
    assert target.read_text() == "x"
