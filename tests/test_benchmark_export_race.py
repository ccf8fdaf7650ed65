"""The benchmark's exports in rounds: the fresh export process, and one format's race.

No timing is judged here: the export process is asked for real exports and
what it answers is checked for shape, call and bytes; the race of one format
is run against a fake export process whose seconds are given.
"""

from __future__ import annotations

import pickle
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import export_race  # benchmarks/, on the path through pytest's pythonpath
import fresh_export
import pytest
import rounds
import run

import storyfacts


def test_the_export_process_times_a_users_default_call_on_a_dataset_it_made_known_valid(
    tmp_path: Path, bundled: storyfacts.Dataset
) -> None:
    pickled = tmp_path / "dataset.pickle"
    pickled.write_bytes(pickle.dumps(bundled))
    expected = tmp_path / "expected.json"
    storyfacts.export(bundled, "json", expected)
    with fresh_export.ExportProcess(pickled) as process:
        # Unpickled, the dataset was never checked there: validated once, untimed.
        assert process.ready["known_valid"] is True
        assert process.ready["call"] == "storyfacts.export(dataset, name, path)"
        answers = [process.export("json", tmp_path / f"run-{i}.json") for i in range(2)]
        refused = process.export("no-such-format", tmp_path / "refused")
        after = process.export("json", tmp_path / "after.json")  # still answering
    for answer in [*answers, after]:
        assert set(answer) == {
            "seconds",
            "loaded_mib",
            "export_peak_mib",
            "output",
            "method",
            "call",
        }
        assert answer["call"] == "storyfacts.export(dataset, name, path)"
        assert Path(answer["output"]).read_bytes() == expected.read_bytes()
    assert "no-such-format" in refused["error"]


def test_a_dataset_file_is_loaded_with_storyfacts_load_and_exported_in_the_default_call(
    tmp_path: Path, bundled: storyfacts.Dataset
) -> None:
    source = tmp_path / "dataset.json"
    source.write_text(storyfacts.dumps(bundled), encoding="utf-8")
    with fresh_export.ExportProcess(source) as process:
        assert process.ready["call"] == "storyfacts.export(dataset, name, path)"
        answer = process.export("csv", tmp_path / "out")
    assert Path(answer["output"]).is_dir()


def test_the_export_process_says_why_it_could_not_start(tmp_path: Path) -> None:
    pickled = tmp_path / "dataset.pickle"
    pickled.write_bytes(pickle.dumps({"not": "a dataset"}))
    with pytest.raises(RuntimeError, match=r"does not hold a storyfacts\.Dataset"):
        fresh_export.ExportProcess(pickled)


class FakeProcess:
    """Writes what storyfacts writes, and answers with the seconds it is given."""

    def __init__(self, dataset: storyfacts.Dataset, seconds: Iterator[float | str]) -> None:
        self.dataset, self.seconds, self.paths = dataset, seconds, list[Path]()
        self.names: list[str] = []
        self.closed = False

    def export(self, name: str, path: Path) -> dict[str, Any]:
        assert not self.closed
        self.paths.append(path)
        self.names.append(name)
        seconds = next(self.seconds)
        if isinstance(seconds, str):
            return {"error": seconds}
        storyfacts.export(self.dataset, name, path)
        return {
            "seconds": seconds,
            "loaded_mib": 50.0,
            "export_peak_mib": 52.0,
            "method": "m",
            "call": "storyfacts.export(dataset, name, path)",
        }

    def close(self) -> None:
        self.closed = True


def _race(
    tmp_path: Path, dataset: storyfacts.Dataset, seconds: list[float | str]
) -> tuple[run.Bench, list[FakeProcess]]:
    bench = run.Bench(run.STANDARD, tmp_path, lambda message: None)
    pending = iter(seconds)
    started: list[FakeProcess] = []
    processes = export_race.RoundProcesses(
        lambda: FakeProcess(dataset, pending),  # type: ignore[arg-type,return-value]
        started.append,  # type: ignore[arg-type]
    )
    race = export_race.FormatRace(bench, processes, 10, "json", detailed=True)
    [timings] = rounds.race([race.entrants])
    processes.close()
    race.record(timings)
    return bench, started


def test_a_format_race_keeps_the_best_of_each_and_the_first_exports_memory(
    tmp_path: Path, bundled: storyfacts.Dataset
) -> None:
    bench, processes = _race(tmp_path, bundled, [0.3, 0.2, 0.25])
    entry = bench.results.exports[("json", 10)]
    assert (entry["storyfacts"], entry["rounds"]) == (0.2, 3)
    floor = entry["contenders"]["json.dumps"]
    assert (floor["role"], floor["rounds"], floor["same_bytes"]) == ("floor", 3, True)
    assert bench.results.memory[("json", 10)]["export_peak_mib"] == 52.0
    # Each round's export was the first in a process of its own, all closed.
    assert [len(process.paths) for process in processes] == [1, 1, 1]
    assert all(process.closed for process in processes)
    # Every run wrote a path of its own; only the first export's output is kept.
    assert len({process.paths[0] for process in processes}) == 3
    kept = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    assert kept == [Path("exports-10/json-storyfacts.json")]
    assert bench.outputs[("json", 10)] == tmp_path / kept[0]


def test_a_format_whose_export_fails_is_noted_and_its_floor_not_run(
    tmp_path: Path, bundled: storyfacts.Dataset
) -> None:
    bench, processes = _race(tmp_path, bundled, ["1 value does not fit in a workbook"])
    assert ("json", 10) not in bench.results.exports
    assert bench.results.notes == [
        "The json export failed at 10: 1 value does not fit in a workbook"
    ]
    assert [len(process.paths) for process in processes] == [1]


def test_each_round_exports_every_format_in_a_process_started_for_that_round(
    tmp_path: Path, bundled: storyfacts.Dataset
) -> None:
    bench = run.Bench(run.STANDARD, tmp_path, lambda message: None)
    pending = iter([0.1] * 6)
    started: list[FakeProcess] = []
    processes = export_race.RoundProcesses(
        lambda: FakeProcess(bundled, pending),  # type: ignore[arg-type,return-value]
        started.append,  # type: ignore[arg-type]
    )
    races = [
        export_race.FormatRace(bench, processes, 10, name, detailed=False)
        for name in ("json", "jsonld")
    ]
    rounds.race([race.entrants for race in races])
    processes.close()
    assert [process.names for process in started] == [["json", "jsonld"]] * 3
    assert all(process.closed for process in started)
