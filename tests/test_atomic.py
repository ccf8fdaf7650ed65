"""The one shared write path: all or nothing, and an existing file survives a failure."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest

from storyfacts import atomic
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


@pytest.fixture(params=["exchange", "lock"])
def swap_mode(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Each directory test runs with renameat2's exchange and with the locked fallback."""
    mode: str = request.param
    if mode == "exchange" and atomic._exchange is None:
        pytest.skip("this platform has no renameat2")
    if mode == "lock":
        monkeypatch.setattr(atomic, "_exchange", None)
    return mode


def _write_tree(target: Path, label: str) -> None:
    with replace_atomically(target, directory=True) as temp:
        for name in ("a.csv", "b.csv", "c.csv"):
            (temp / name).write_text(label)


def test_directory_replace_leaves_nothing_beside_it(tmp_path: Path, swap_mode: str) -> None:
    """Replacing a full tree twice leaves only the target: no `.old`, `.tmp` or lock file."""
    target = tmp_path / "tables"
    for label in ("one", "two", "three"):
        _write_tree(target, label)
    assert _listing(tmp_path) == ["tables"]
    assert {p.read_text() for p in target.iterdir()} == {"three"}


def test_concurrent_directory_exports_all_succeed_and_leave_one_tree(
    tmp_path: Path, swap_mode: str
) -> None:
    """Four writers replacing one directory at once: none fails, one whole tree remains."""
    target = tmp_path / "tables"
    errors: list[BaseException] = []

    def writer(number: int) -> None:
        try:
            for round_ in range(40):
                _write_tree(target, f"{number}-{round_}")
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert _listing(tmp_path) == ["tables"]
    assert _listing(target) == ["a.csv", "b.csv", "c.csv"]
    # The three files come from one writer's one round: no tree is a mixture.
    assert len({p.read_text() for p in target.iterdir()}) == 1


def test_a_stale_lock_file_from_a_killed_process_does_not_block(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The fallback's lock file, left by a process killed while holding it, is reused."""
    monkeypatch.setattr(atomic, "_exchange", None)
    target = tmp_path / "tables"
    (tmp_path / ".tables.lock").write_text("")
    target.mkdir()
    with replace_atomically(target, directory=True) as temp:
        (temp / "a.csv").write_text("new")
    assert (target / "a.csv").read_text() == "new"
    assert _listing(tmp_path) == ["tables"]
