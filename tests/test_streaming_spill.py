"""A streaming check that sets bytes aside in a temporary file never fails for want of disk.

``storyfacts validate`` keeps article bodies and references waiting for their
ids in an unnamed temporary file (storyfacts.streaming.spill). Where no such
file can be made, or the disk fills up half-way, what is left is held in
memory: the verdict is the same, nothing is lost or reordered, no traceback.
"""

from __future__ import annotations

import errno
import io
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

import generate  # benchmarks/generate.py, on the path through pytest's pythonpath
import pytest

from storyfacts.cli import main
from storyfacts.streaming import spill
from storyfacts.streaming.bodies import SpilledBodies
from storyfacts.streaming.checking import SpilledReferences
from storyfacts.streaming.document import document_problems


class _FillingDisk(io.RawIOBase):
    """A raw temporary file on a disk that is full after ``room`` bytes (short writes first)."""

    def __init__(self, room: int) -> None:
        self._data = bytearray()
        self._at = 0
        self._room = room

    def writable(self) -> bool:
        return True

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = 0) -> int:
        self._at = offset
        return offset

    def write(self, data: Any) -> int:
        free = self._room - len(self._data)
        if free <= 0:
            raise OSError(errno.ENOSPC, "No space left on device")
        taken = bytes(data[: min(len(data), free, 7)])  # short writes, as a raw file may make
        self._data[self._at : self._at + len(taken)] = taken
        self._at += len(taken)
        return len(taken)

    def readinto(self, buffer: Any) -> int:
        chunk = self._data[self._at : self._at + min(len(buffer), 5)]  # short reads too
        buffer[: len(chunk)] = chunk
        self._at += len(chunk)
        return len(chunk)


def _no_temporary_directory(*args: Any, **kwargs: Any) -> Any:
    raise FileNotFoundError(errno.ENOENT, "No usable temporary directory found")


def _disk_full_after(room: int) -> Any:
    return lambda *args, **kwargs: _FillingDisk(room)


def _entry(i: int) -> tuple[tuple[str | int, ...], Any, frozenset[str], Any]:
    # Some lines far longer than a batch; one with a lone surrogate (written by json).
    value = f"ref-{i}" + ("x" * 300 if i % 7 == 0 else "") + ("\ud800" if i == 5 else "")
    return ("statements", i, "sources", 0), value, frozenset({"source"}), i


@pytest.mark.parametrize(
    "temporary_file",
    [spill.unnamed_file, _no_temporary_directory, _disk_full_after(0)]
    + [_disk_full_after(room) for room in (40, 333, 1000)],
    ids=["a file", "no temporary directory", "a full disk", "full after 40 B", "333 B", "1000 B"],
)
def test_references_come_back_all_and_in_order(
    monkeypatch: pytest.MonkeyPatch, temporary_file: Any
) -> None:
    monkeypatch.setattr(spill, "unnamed_file", temporary_file)
    monkeypatch.setattr(SpilledReferences, "BATCH", 64)
    references = SpilledReferences()
    entries = [_entry(i) for i in range(60)]
    for entry in entries:
        references.append(entry)
    assert list(references) == entries
    assert list(references) == entries  # read twice, as a check may
    references.close()


@pytest.mark.parametrize(
    "temporary_file",
    [_no_temporary_directory, _disk_full_after(0), _disk_full_after(50), _disk_full_after(500)],
    ids=["no temporary directory", "a full disk", "full after 50 B", "full after 500 B"],
)
def test_bodies_come_back_whole_when_the_file_fails(
    monkeypatch: pytest.MonkeyPatch, temporary_file: Any
) -> None:
    monkeypatch.setattr(spill, "unnamed_file", temporary_file)
    monkeypatch.setattr(SpilledBodies, "CACHED", 1)  # every body but the last read back
    bodies = SpilledBodies()
    written = {f"a{i}": f"Body {i}: Дождь 雨 " + "w" * (i * 17) for i in range(12)}
    for article, body in written.items():
        bodies.add(article, body)
    bodies.add("a3", "A later article of the same id wins.")
    written["a3"] = "A later article of the same id wins."
    assert len(bodies) == len(written)
    assert set(bodies) == set(written)
    assert {article: bodies[article] for article in written} == written
    bodies.close()


@pytest.mark.parametrize(
    "temporary_file",
    [_no_temporary_directory, _disk_full_after(0), _disk_full_after(2000)],
    ids=["no temporary directory", "a full disk", "full half-way"],
)
def test_validate_gives_its_verdict_without_disk(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    temporary_file: Any,
) -> None:
    data = generate.generate(200, 3)
    data["statements"][7]["sources"] = ["no-such-source"]
    data["statements"][9]["evidence"][0]["start"] += 1
    path = tmp_path / "dataset.json"
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    expected = document_problems(path)
    assert expected and {"dangling-reference", "evidence-mismatch"} <= {p.code for p in expected}

    monkeypatch.setattr(spill, "unnamed_file", temporary_file)
    monkeypatch.setattr(SpilledReferences, "BATCH", 64)
    monkeypatch.setattr(SpilledBodies, "CACHED", 1)
    assert document_problems(path) == expected
    assert main(["validate", str(path)]) == 1
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    assert "no-such-source" in out


needs_unnamed_files = pytest.mark.skipif(
    not hasattr(os, "O_TMPFILE"), reason="unnamed files are a Linux feature"
)


def _directory_of(file: Any) -> str:
    # An unnamed file's link names its directory, with " (deleted)" or "#inode" after it.
    return str(Path(f"/proc/self/fd/{file.fileno()}").readlink().parent)


@needs_unnamed_files
def test_the_unnamed_file_is_made_as_tempfile_makes_it_without_importing_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delitem(sys.modules, "tempfile")
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    with spill.unnamed_file() as file:
        assert "tempfile" not in sys.modules
        assert file.write(b"kept aside") == 10
        file.seek(0)
        assert file.read() == b"kept aside"
        assert list(tmp_path.iterdir()) == []  # no name, in the directory tempfile would choose
        assert _directory_of(file) == str(tmp_path)
        assert not os.get_inheritable(file.fileno())
        assert os.fstat(file.fileno()).st_mode & 0o777 == 0o600


@needs_unnamed_files
def test_a_directory_without_unnamed_files_is_left_to_tempfile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # /proc takes no file at all: tempfile goes on to the next directory it knows.
    monkeypatch.delitem(sys.modules, "tempfile")
    monkeypatch.setattr(spill, "_candidate_directories", lambda: [str(tmp_path / "none"), "/proc"])
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    with spill.unnamed_file() as file:
        assert "tempfile" in sys.modules
        assert file.write(b"kept aside") == 10
        assert _directory_of(file) == str(tmp_path)


def test_a_process_that_imported_tempfile_gets_its_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Its tempfile.tempdir, set by the program, is honoured.
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    with spill.unnamed_file() as file:
        assert file.write(b"kept aside") == 10
        if hasattr(os, "O_TMPFILE"):
            assert _directory_of(file) == str(tmp_path)
