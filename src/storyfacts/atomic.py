"""Safe writes: every export goes through :func:`replace_atomically`.

The output is always completed in a temporary file or directory first, so a
failure or an interrupt leaves no partial output. What happens next depends on
what the target path is:

* **nothing yet, a regular file, or a directory** (for a directory export):
  the temporary output, written beside the target, is moved into place in one
  step. An existing file stays byte for byte as it was until then.
* **a symbolic link**: it is followed. The file or directory it points to is
  replaced as above and the link itself is kept.
* **a character device or a FIFO** (``/dev/null``, a terminal, a named pipe):
  the device is never replaced. The finished output is copied into it, so a
  pipe's reader sees either the whole export or nothing.
* **a block device, a socket, or a file where a directory export was asked
  for** (or the other way round): refused before anything is written.

:func:`written_to` does the same for an open stream such as standard output.

A directory cannot be moved onto a non-empty directory in one step with
``rename``. On Linux the new tree and the old one are swapped with
``renameat2(RENAME_EXCHANGE)``, so the target is at every moment either the
whole old tree or the whole new one, and two processes exporting to one
directory at once cannot trip each other up: the last to swap wins. Where the
kernel or file system lacks that call, the old tree is moved aside and the new
one moved in while holding an ``flock`` on a lock file beside the target
(removed afterwards), which serialises storyfacts processes.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import shutil
import stat
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

__all__ = ["ENVIRONMENT_ERRNOS", "os_reason", "remove_path", "replace_atomically", "written_to"]

#: Errors that come from the disk or the file system rather than from the code
#: that was writing: a full disk, a quota, a read-only mount, a failing device.
ENVIRONMENT_ERRNOS = frozenset(
    {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EIO, errno.EFBIG, errno.EACCES, errno.EPERM}
)

_CHUNK = 1 << 20


def os_reason(error: OSError) -> str:
    """An operating-system error as a clause a person can read: no errno, no class name."""
    if not error.strerror:
        return str(error)  # one of ours, already a sentence
    reason = error.strerror
    if error.filename and not Path(error.filename).name.startswith("."):
        reason += f": {error.filename}"  # a temporary name beside the target means nothing
    return reason


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def replace_atomically(target: str | Path, *, directory: bool = False) -> Iterator[Path]:
    """Yield a temporary path to write; put it at ``target`` if the block succeeds.

    With ``directory=True`` the temporary path is an empty directory, and an
    existing directory at ``target`` is replaced as a whole. The parent
    directory of ``target`` is created when missing. See the module docstring
    for devices, FIFOs and symbolic links.
    """
    target = Path(target)
    try:
        mode: int | None = target.stat().st_mode  # follows symbolic links
    except FileNotFoundError:
        mode = None
    if mode is not None and (stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)):
        if directory:
            raise NotADirectoryError(
                f"{target} is a device or pipe, and this format writes a directory; "
                "choose a directory path"
            )
        with _spooled(lambda temp: _copy_into_device(temp, target)) as temp:
            yield temp
        return
    if mode is not None and not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        raise FileExistsError(
            f"{target} is a {_kind(mode)}, which storyfacts never writes over; "
            "choose another output path"
        )
    if mode is not None and stat.S_ISDIR(mode) != directory:
        if directory:
            raise NotADirectoryError(
                f"{target} exists and is not a directory; choose another output path"
            )
        raise IsADirectoryError(f"{target} exists and is not a file; choose another output path")
    # A link is followed: what it points to is replaced, the link stays a link.
    final = Path(os.path.realpath(target))
    final.parent.mkdir(parents=True, exist_ok=True)
    prefix = f".{final.name}."
    if directory:
        temp = Path(tempfile.mkdtemp(prefix=prefix, suffix=".tmp", dir=final.parent))
    else:
        handle, name = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=final.parent)
        os.close(handle)
        temp = Path(name)
    try:
        yield temp
        if directory:
            _set_tree_mode(temp)
            _swap_in_directory(temp, final)
        else:
            temp.chmod(0o666 & ~_umask())
            with temp.open("rb+") as f:
                os.fsync(f.fileno())
            temp.replace(final)
    finally:
        # After a success the temporary path holds the old tree, or nothing.
        remove_path(temp)


@contextlib.contextmanager
def written_to(stream: BinaryIO) -> Iterator[Path]:
    """Yield a temporary file path; copy the file to ``stream`` if the block succeeds.

    For single-file exports to standard output (``-o -``): the stream gets
    the whole output or nothing.
    """

    def deliver(temp: Path) -> None:
        with temp.open("rb") as source:
            shutil.copyfileobj(source, stream, _CHUNK)
        stream.flush()

    with _spooled(deliver) as temp:
        yield temp


@contextlib.contextmanager
def _spooled(deliver: Callable[[Path], None]) -> Iterator[Path]:
    handle, name = tempfile.mkstemp(prefix="storyfacts-", suffix=".tmp")
    os.close(handle)
    temp = Path(name)
    try:
        yield temp
        deliver(temp)
    finally:
        temp.unlink(missing_ok=True)


def _copy_into_device(temp: Path, target: Path) -> None:
    # No O_CREAT: if the device went away meanwhile, nothing new is made.
    out = os.open(target, os.O_WRONLY | os.O_NOCTTY | os.O_CLOEXEC)
    try:
        mode = os.fstat(out).st_mode
        if not (stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)):
            raise FileExistsError(
                f"{target} stopped being a device or pipe during the export; nothing was written"
            )
        with temp.open("rb") as source:
            while chunk := source.read(_CHUNK):
                view = memoryview(chunk)
                while view:
                    view = view[os.write(out, view) :]
    finally:
        os.close(out)


def _kind(mode: int) -> str:
    if stat.S_ISBLK(mode):
        return "block device"
    if stat.S_ISSOCK(mode):
        return "socket"
    return "special file"


def remove_path(path: Path) -> None:
    """Remove a temporary file, or a directory with all it holds; a symbolic link itself."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def _set_tree_mode(root: Path) -> None:
    mask = _umask()
    root.chmod(0o777 & ~mask)
    for path in root.rglob("*"):
        path.chmod((0o777 if path.is_dir() else 0o666) & ~mask)


#: How often a directory swap is retried when another process keeps creating
#: the target between our look and our move; each retry means someone else won.
_SWAP_ATTEMPTS = 50


def _swap_in_directory(temp: Path, target: Path) -> None:
    """Put the tree at ``temp`` at ``target``; the old tree, if any, ends up at ``temp``."""
    if _exchange is not None:
        for _ in range(_SWAP_ATTEMPTS):
            try:
                _exchange(temp, target)
                return
            except FileNotFoundError:
                pass  # no target yet: a plain rename will do
            except _Unsupported:
                break
            try:
                temp.rename(target)  # also replaces an empty directory
                return
            except OSError as error:
                if error.errno not in (errno.ENOTEMPTY, errno.EEXIST):
                    raise
                # Another process put a tree there meanwhile: swap with it.
        else:
            raise FileExistsError(
                f"{target} kept changing under other writers; nothing was written"
            )
    with _locked(target):
        _move_aside_and_in(temp, target)


def _move_aside_and_in(temp: Path, target: Path) -> None:
    if not target.exists():
        temp.rename(target)
        return
    aside = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=target.parent))
    aside.rmdir()
    target.rename(aside)
    try:
        temp.rename(target)
    except BaseException:
        aside.rename(target)
        raise
    # Hand the old tree to the caller's clean-up, which removes ``temp``.
    aside.rename(temp)


@contextlib.contextmanager
def _locked(target: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``.NAME.lock`` beside ``target``; remove it afterwards."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX: no lock to take
        yield
        return
    lock = target.with_name(f".{target.name}.lock")
    while True:
        handle = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            # A previous holder may have removed the file after we opened it:
            # then our lock guards nothing, and we start again.
            if lock.stat().st_ino == os.fstat(handle).st_ino:
                break
        except FileNotFoundError:
            pass
        os.close(handle)
    try:
        yield
    finally:
        lock.unlink(missing_ok=True)
        os.close(handle)


class _Unsupported(Exception):
    """The file system or kernel cannot exchange two paths."""


def _load_exchange() -> Callable[[Path, Path], None] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):  # glibc before 2.28, or another libc
        return None
    path, number = ctypes.c_char_p, ctypes.c_int
    renameat2.argtypes = [number, path, number, path, ctypes.c_uint]
    renameat2.restype = ctypes.c_int
    at_fdcwd, rename_exchange = -100, 2

    def exchange(a: Path, b: Path) -> None:
        if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
            return
        code = ctypes.get_errno()
        if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
            raise _Unsupported(os.strerror(code))
        raise OSError(code, os.strerror(code), str(b))

    return exchange


_exchange = _load_exchange()
