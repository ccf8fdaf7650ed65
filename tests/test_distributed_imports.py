"""Dask is an optional extra: nothing imports it but a distributed export that asks for it."""

from __future__ import annotations

from pathlib import Path

import pytest

from test_startup import modules_after

DASK = {"dask", "distributed"}


def test_the_core_and_a_synchronous_distributed_export_import_no_dask(tmp_path: Path) -> None:
    loaded = modules_after(
        "import storyfacts, storyfacts.distributed\n"
        "from storyfacts.cli import main\n"
        "assert main(['validate']) == 0\n"
        f"storyfacts.export(None, 'csv', {str(tmp_path)!r} + '/seed-csv')\n"
        "storyfacts.distributed.export(storyfacts.bundled_path(), 'json', "
        f"{str(tmp_path)!r} + '/parts', scheduler='synchronous')\n"
    )
    assert "storyfacts.distributed.engine" in loaded
    assert not loaded & DASK
    assert "storyfacts.distributed.dask_scheduling" not in loaded


def test_a_dask_scheduler_imports_dask(tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    loaded = modules_after(
        "import storyfacts, storyfacts.distributed\n"
        "storyfacts.distributed.export(storyfacts.bundled_path(), 'json', "
        f"{str(tmp_path)!r} + '/parts', scheduler='processes', workers=1)\n"
    )
    assert DASK <= loaded
