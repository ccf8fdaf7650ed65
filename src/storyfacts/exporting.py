"""Exporting a dataset to a format: the operation behind :func:`storyfacts.export`.

The contract an exporter fulfils (:class:`Exporter`, :class:`ExportContext`)
is in :mod:`storyfacts.contract`; it is re-exported here for code that
imported it from this module.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING

from . import plugins
from .contract import ExportContext, Exporter, Progress, no_progress, output_name
from .errors import ExportError, InvalidDatasetError, StoryfactsError

if TYPE_CHECKING:
    from .loading import DatasetSource
    from .model import Dataset
    from .streaming import CorpusReader

__all__ = ["ExportContext", "Exporter", "export", "output_name", "unchanged"]


def export(
    dataset: DatasetSource | CorpusReader | None,
    format: str,
    path: str | Path | None = None,
    *,
    options: Mapping[str, str] | None = None,
    progress: Progress | None = None,
    check: bool = True,
) -> Path:
    """Export a dataset to ``format`` at ``path``, atomically; return the path written.

    ``dataset`` is a :class:`Dataset`, a path, plain data, or ``None`` for the
    bundled dataset; it is validated first and nothing is written if it is
    invalid. A :class:`Dataset` that :func:`load` or :func:`validate` found
    valid, and that has not been edited since, is not validated again (a
    count of edits decides, at once, or for a dataset holding a plain ``list``
    a fingerprint of its data: see :mod:`storyfacts.validity`); one changed
    since is.
    ``check=False`` skips validating a :class:`Dataset` altogether, for one you
    have validated yourself. Without ``path`` the output goes to the
    current directory under the dataset's id. ``options`` are the exporter's
    own (see :attr:`Exporter.options`); ``progress(done, total)`` is called as
    records are written.
    """
    # Imported here, not at the top: `storyfacts.Exporter` is importable from
    # this module by plugins without loading the validators and the model.
    from . import kinds
    from .atomic import ENVIRONMENT_ERRNOS, os_reason, replace_atomically
    from .loading import load, validate
    from .model import Dataset
    from .streaming.corpus import CorpusReader, streamed

    if plugins.strict():
        plugins.require_no_failures()
    exporter = plugins.exporter(format)
    exporter.check_options(options or {})
    if isinstance(dataset, Dataset) and check:
        problems = validate(dataset)
        if problems:
            raise InvalidDatasetError(problems)
    # A JSON Lines corpus goes through as a stream when the exporter can write
    # one (validated in one streaming pass): it is never loaded whole.
    loaded: Dataset | CorpusReader | None = streamed(dataset, exporter)
    if loaded is None:
        # A Dataset was validated just above, or the caller said it need not be.
        if isinstance(dataset, CorpusReader):  # for a format that cannot stream one
            dataset = dataset.directory
        loaded = dataset if isinstance(dataset, Dataset) else load(dataset)
    target = Path(path) if path is not None else Path.cwd() / output_name(loaded, exporter)
    total = loaded.total() if isinstance(loaded, CorpusReader) else kinds.count(loaded)
    context = ExportContext(
        options=dict(options or {}), total=total, progress=progress or no_progress
    )
    try:
        with replace_atomically(target, directory=exporter.directory) as temp:
            try:
                if isinstance(loaded, CorpusReader):
                    assert exporter.write_corpus is not None
                    exporter.write_corpus(loaded, temp, context)
                else:
                    exporter.write(loaded, temp, context)
            except (StoryfactsError, KeyboardInterrupt):
                raise
            except OSError as error:
                if error.errno in ENVIRONMENT_ERRNOS:
                    raise  # the disk, not the exporter: reported below without blame
                raise ExportError(exporter.name, target, _writer_failed(exporter, error)) from error
            except BaseException as error:
                # A plugin's sys.exit() (SystemExit) or any other BaseException
                # would otherwise end the whole command, silently with exit 0.
                raise ExportError(exporter.name, target, _writer_failed(exporter, error)) from error
    except StoryfactsError:
        raise
    except OSError as error:  # putting the output in place, or the disk under the writer
        raise ExportError(exporter.name, target, os_reason(error)) from error
    return target


def unchanged(dataset: Dataset) -> AbstractContextManager[None]:
    """Promise that ``dataset`` does not change in the block, so that its exports share work.

    For exporting one dataset to several formats: what one export derives
    from the whole dataset is then not derived again by the next (today, the
    hash of the canonical JSON, which the json export computes as it writes
    and the workbook stores as its fingerprint; see :mod:`storyfacts.canonical`).
    """
    from .canonical import unchanged as promised

    return promised(dataset)


def _writer_failed(exporter: Exporter, error: BaseException) -> str:
    if isinstance(error, SystemExit):
        reason = f"the exporter called sys.exit({error.code!r})"
    else:
        reason = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
    if exporter.plugin:
        reason += f" (in exporter {exporter.name!r} of plugin {exporter.plugin!r})"
    return reason
