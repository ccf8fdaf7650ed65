"""Input that never ends or is absurdly large gives a clear error, not a MemoryError."""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

import storyfacts
from storyfacts import input_files

RunCli = Callable[..., tuple[int, str, str]]  # the run_cli fixture, from conftest.py


@pytest.fixture(autouse=True)
def default_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts from the documented default limit."""
    monkeypatch.delenv(input_files.MAX_INPUT_ENV, raising=False)


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
@pytest.mark.parametrize("command", ["validate", "export"])
def test_an_endless_device_is_refused_at_once(run_cli: RunCli, device: str, command: str) -> None:
    """Devices are refused by what they are, before a byte is read."""
    if not Path(device).exists():
        pytest.skip(f"{device} is missing here")
    code, _, err = run_cli(command, device)
    assert code == 2
    assert err == f"storyfacts: {device}: is a character device, not a dataset file\n"


def test_a_huge_sparse_file_is_refused_by_its_size(run_cli: RunCli, tmp_path: Path) -> None:
    """A 3 GiB file that occupies no disk is refused by its size, without reading it."""
    path = tmp_path / "huge.json"
    with path.open("wb") as handle:
        handle.truncate(3 << 30)
    code, _, err = run_cli("validate", str(path))
    assert code == 2
    assert "is 3 GiB, more than the 1 GiB storyfacts reads" in err
    assert input_files.MAX_INPUT_ENV in err


def test_the_limit_can_be_lowered_and_raised(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """STORYFACTS_MAX_INPUT_BYTES takes bytes or K/M/G; the bundled dataset fits 1M, not 1K."""
    path = tmp_path / "story.json"
    path.write_bytes(storyfacts.bundled_path().read_bytes())
    monkeypatch.setenv(input_files.MAX_INPUT_ENV, "1K")
    code, _, err = run_cli("validate", str(path))
    assert code == 2
    assert "more than the 1 KiB storyfacts reads" in err
    monkeypatch.setenv(input_files.MAX_INPUT_ENV, "1M")
    assert run_cli("validate", str(path))[0] == 0
    monkeypatch.setenv(input_files.MAX_INPUT_ENV, str(path.stat().st_size))
    assert run_cli("validate", str(path))[0] == 0


def test_a_bad_limit_is_named(run_cli: RunCli, monkeypatch: pytest.MonkeyPatch) -> None:
    """A limit that is not a size is a usage error naming the variable."""
    monkeypatch.setenv(input_files.MAX_INPUT_ENV, "lots")
    code, _, err = run_cli("validate", str(storyfacts.bundled_path()))
    assert code == 2
    assert f"{input_files.MAX_INPUT_ENV}: is 'lots'; give a number of bytes" in err


def _feed(fifo: Path, data: bytes) -> threading.Thread:
    def write() -> None:
        # The reader may stop at the limit and close its end: that is expected.
        with contextlib.suppress(BrokenPipeError), fifo.open("wb") as pipe:
            pipe.write(data)

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    return writer


def test_a_pipe_is_read_up_to_the_limit(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A named pipe holding a dataset is read; one holding more than the limit is refused."""
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    writer = _feed(fifo, storyfacts.bundled_path().read_bytes())
    code, out, err = run_cli("validate", str(fifo))
    writer.join(timeout=60)
    assert (code, err) == (0, "")
    assert out == f"{fifo}: valid\n"
    monkeypatch.setenv(input_files.MAX_INPUT_ENV, "4K")
    writer = _feed(fifo, b" " * (64 << 10))
    code, _, err = run_cli("validate", str(fifo))
    writer.join(timeout=60)
    assert code == 2
    assert "holds more than the 4 KiB storyfacts reads" in err


def test_an_article_from_a_device_is_refused(run_cli: RunCli, tmp_path: Path) -> None:
    """`storyfacts new` reads its article within the same bounds."""
    code, _, err = run_cli(
        "new", "/dev/zero", "--published", "2023-03-22", "-o", str(tmp_path / "x.json")
    )
    assert code == 2
    assert "is a character device, not an article's text" in err
    assert list(tmp_path.iterdir()) == []
