"""A third-party exporter that fails on purpose, installed in Dask workers by the tests.

``install(markers, fail_times, always_for)`` registers plugin ``flaky`` in
the process that runs it (each worker, through ``client.run``). Its
exporter, ``flaky``, counts its tries per dataset in ``markers``: it fails
the first ``fail_times`` tries of every dataset, and every try of a dataset
holding the article ``always_for``. Otherwise it writes the dataset's
article ids, one a line.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from storyfacts import Exporter, hookimpl, plugins

_settings: dict[str, object] = {}


def _write(dataset, path: Path, context) -> None:  # type: ignore[no-untyped-def]
    articles = [article.id for article in dataset.articles]
    key = hashlib.sha256("\n".join(articles).encode()).hexdigest()[:16]
    markers = Path(str(_settings["markers"]))
    tries = len(list(markers.glob(f"{key}-*")))
    (markers / f"{key}-{tries}").write_text(",".join(articles), encoding="utf-8")
    if tries < int(str(_settings["fail_times"])) or _settings["always_for"] in articles:
        raise RuntimeError(f"flaky failure, try {tries + 1}")
    path.write_text("\n".join(articles) + "\n", encoding="utf-8")


class _Plugin:
    @hookimpl
    def register_exporters(self, register):  # type: ignore[no-untyped-def]
        register(
            Exporter(
                name="flaky",
                extension=".txt",
                media_type="text/plain",
                description="Article ids, after failing on purpose.",
                write=_write,
            )
        )


def install(markers: str, fail_times: int, always_for: str = "") -> str:
    _settings.update(markers=markers, fail_times=fail_times, always_for=always_for)
    plugins.unregister("flaky")
    plugins.register(_Plugin(), "flaky")
    return "installed"


def uninstall() -> str:
    plugins.unregister("flaky")
    return "uninstalled"
