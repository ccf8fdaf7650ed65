"""What an export does to what is already at its path: devices, pipes, links, stdout."""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

import storyfacts

RunCli = Callable[..., tuple[int, str, str]]  # the run_cli fixture, from conftest.py


@pytest.fixture(scope="module")
def seed_json() -> bytes:
    """The bytes a JSON export of the bundled dataset has."""
    return storyfacts.bundled_path().read_bytes()


def _listing(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir())


def test_a_character_device_is_written_through_not_replaced(
    run_cli: RunCli, tmp_path: Path
) -> None:
    """As root, `-o /dev/null` must leave /dev/null a device; a private null device stands in."""
    device = tmp_path / "null"
    try:
        os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
        with device.open("wb") as probe:
            probe.write(b"x")
    except OSError as error:  # not root, or a file system mounted nodev
        pytest.skip(f"cannot make a usable character device here: {error}")
    code, out, err = run_cli("export", "-f", "json", "-o", str(device))
    assert code == 0, err
    assert out.strip() == str(device)
    assert stat.S_ISCHR(device.lstat().st_mode)
    assert _listing(tmp_path) == ["null"]


def test_a_fifo_gets_the_whole_export_and_stays_a_fifo(
    run_cli: RunCli, tmp_path: Path, seed_json: bytes
) -> None:
    """A named pipe's reader gets exactly the export, and the pipe is still a pipe."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    code, _, err = run_cli("export", "-f", "json", "-o", str(fifo))
    reader.join(timeout=60)
    assert code == 0, err
    assert received == [seed_json]
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert _listing(tmp_path) == ["pipe"]


def test_a_link_to_a_file_is_kept_and_its_target_replaced(
    run_cli: RunCli, tmp_path: Path, seed_json: bytes
) -> None:
    """`-o link.json` follows the link: the file it points to gets the export."""
    real = tmp_path / "real.json"
    real.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to("real.json")
    code, _, err = run_cli("export", "-f", "json", "-o", str(link))
    assert code == 0, err
    assert link.is_symlink()
    assert link.readlink() == Path("real.json")
    assert real.read_bytes() == seed_json
    assert _listing(tmp_path) == ["link.json", "real.json"]


def test_a_dangling_link_creates_the_file_it_names(tmp_path: Path, seed_json: bytes) -> None:
    """A link to nothing yet is kept, and the export appears where it points."""
    link = tmp_path / "link.json"
    link.symlink_to("later/real.json")
    storyfacts.export(None, "json", link)
    assert link.is_symlink()
    assert (tmp_path / "later" / "real.json").read_bytes() == seed_json


def test_a_link_to_a_directory_is_kept_and_nothing_is_left_beside_it(
    run_cli: RunCli, tmp_path: Path
) -> None:
    """A directory export through a link replaces the linked tree and leaves no `.old`."""
    tables = tmp_path / "tables"
    tables.mkdir()
    (tables / "stale.csv").write_text("old")
    link = tmp_path / "link"
    link.symlink_to("tables")
    for _ in range(2):  # the second run replaces a full tree
        code, _, err = run_cli("export", "-f", "csv", "-o", str(link))
        assert code == 0, err
    assert link.is_symlink()
    assert "stale.csv" not in _listing(tables)
    assert "datapackage.json" in _listing(tables)
    assert _listing(tmp_path) == ["link", "tables"]


def test_a_socket_is_refused_and_left_alone(run_cli: RunCli, tmp_path: Path) -> None:
    """A socket is neither written nor replaced; the error says what it is."""
    path = tmp_path / "sock"
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(path))
        code, out, err = run_cli("export", "-f", "json", "-o", str(path))
    finally:
        server.close()
    assert code == 1
    assert out == ""
    assert "is a socket" in err
    assert stat.S_ISSOCK(path.lstat().st_mode)
    assert _listing(tmp_path) == ["sock"]


def test_a_directory_format_is_refused_on_a_pipe(run_cli: RunCli, tmp_path: Path) -> None:
    """csv writes a directory, which cannot go into a pipe: refused, pipe untouched."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    code, _, err = run_cli("export", "-f", "csv", "-o", str(fifo))
    assert code == 1
    assert "writes a directory" in err
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert _listing(tmp_path) == ["pipe"]


def test_dash_writes_one_format_to_standard_output(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed_json: bytes
) -> None:
    """`-o -` prints the export itself and nothing else, and leaves no file."""
    monkeypatch.chdir(tmp_path)
    code, out, err = run_cli("export", "-f", "json", "-o", "-")
    assert code == 0, err
    assert out.encode("utf-8") == seed_json
    assert _listing(tmp_path) == []


@pytest.mark.parametrize("formats", ["csv", "json,ics"])
def test_dash_takes_exactly_one_single_file_format(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, formats: str
) -> None:
    """A directory format or several formats cannot go to standard output: a usage error."""
    monkeypatch.chdir(tmp_path)
    code, out, err = run_cli("export", "-f", formats, "-o", "-")
    assert code == 2
    assert out == ""
    assert "exactly one format" in err
    assert _listing(tmp_path) == []


_EXPORT_LOOP = """
import sys
import storyfacts
dataset = storyfacts.load_bundled()
for _ in range(int(sys.argv[2])):
    storyfacts.export(dataset, "csv", sys.argv[1], check=False)
"""


@pytest.mark.slow
def test_four_processes_exporting_csv_to_one_directory(tmp_path: Path) -> None:
    """Four processes, 100 csv exports to one target: every one succeeds, one tree remains."""
    target = tmp_path / "tables"
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", _EXPORT_LOOP, str(target), "25"],
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    results = [(p.communicate()[1], p.returncode) for p in processes]
    assert [err for err, code in results if code != 0] == []
    assert _listing(tmp_path) == ["tables"]
    reference = tmp_path / "reference"
    storyfacts.export(None, "csv", reference)
    assert _listing(target) == _listing(reference)
    for path in reference.iterdir():
        assert (target / path.name).read_bytes() == path.read_bytes()
