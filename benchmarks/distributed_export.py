"""Distributed export: one process versus a 2-worker Dask LocalCluster, and a 100-worker estimate.

    python benchmarks/distributed_export.py             # 100,000 statements, csv and json
    python benchmarks/distributed_export.py --full      # 1,000,000 statements
    python benchmarks/distributed_export.py 200000 -f csv,json,jsonld --workers 2

Steps, each in a fresh Python process so that each peak is its own:

1. generate the corpus (benchmarks/generate.py) and write it as a JSON Lines
   corpus directory, record by record (no Dataset is built);
2. ``plan``: the driver's own work alone: read the corpus, check it, then
   cut each partition and make its JSON, timed, at the run's partition count
   and at 100;
3. ``synchronous``: ``storyfacts.distributed.export(scheduler="synchronous")``,
   every partition one after another in one process;
4. ``cluster``: the same on a ``LocalCluster(n_workers=W, processes=True)``,
   started before the clock starts; each worker reports its peak memory.

Parallel efficiency is T(1 process) / (W x T(cluster)). The 100-worker
estimate fits each partition's time on one worker (step 3) as b x records
held, applies it to the partitions the same corpus gets when cut into 100,
and adds the driver's serial work measured in step 2: the corpus read and
check, then cutting each partition and making its JSON (workers start as soon
as the first is made, so the estimate is read + max(making them all, making
one + the slowest partition)). It leaves out network transfer and scheduling, which on
a real cluster add to it.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SECTIONS = ("articles", "entities", "statements", "sources")


def write_corpus(n: int, directory: Path) -> dict[str, int]:
    """Generate ``n`` statements and write them as a JSON Lines corpus, record by record."""
    sys.path.insert(0, str(HERE))
    from generate import generate

    data = generate(n)
    directory.mkdir(parents=True)
    header = {k: v for k, v in data.items() if k not in SECTIONS}
    (directory / "header.json").write_text(json.dumps(header), encoding="utf-8")
    for section in SECTIONS:
        with (directory / f"{section}.jsonl").open("w", encoding="utf-8") as out:
            for record in data[section]:
                out.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n")
    return {section: len(data[section]) for section in SECTIONS}


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_plan(corpus: Path, partitions: list[int]) -> dict[str, Any]:
    from storyfacts import distributed

    result: dict[str, Any] = {}
    started = time.perf_counter()
    records = distributed.read_corpus(corpus)
    result["read_seconds"] = time.perf_counter() - started
    for count in partitions:
        started = time.perf_counter()
        cut = distributed.plan(records, count)
        planned = time.perf_counter()
        sizes, making = [], []
        before = time.perf_counter()
        for partition in cut.partitions():  # each is cut as it is asked for
            making.append(time.perf_counter() - before)
            sizes.append(sum(partition.records.values()))
            del partition
            before = time.perf_counter()
        result[str(count)] = {
            "plan_seconds": planned - started,
            "make_seconds": making,
            "records": sizes,
        }
    result["peak_mib"] = peak_mib()
    return result


def run_export(corpus: Path, out: Path, formats: str, partitions: int, workers: int) -> Any:
    from storyfacts import distributed

    if workers == 0:
        started = time.perf_counter()
        report = distributed.export(
            corpus, formats, out, scheduler="synchronous", partitions=partitions
        )
        seconds = time.perf_counter() - started
        worker_peaks = [peak_mib()]
        startup = 0.0
    else:
        from dask.distributed import Client, LocalCluster

        started = time.perf_counter()
        with (
            LocalCluster(
                n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0"
            ) as cluster,
            Client(cluster) as client,
        ):
            startup = time.perf_counter() - started
            started = time.perf_counter()
            report = distributed.export(corpus, formats, out, client=client, partitions=partitions)
            seconds = time.perf_counter() - started
            peaks = client.run(lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
            worker_peaks = sorted(peaks.values())
    return {
        "seconds": seconds,
        # The machine is shared: its load over the last minute, when the run ended.
        "load": os.getloadavg()[0],
        "startup_seconds": startup,
        "driver_peak_mib": peak_mib(),
        "worker_peak_mib": worker_peaks,
        "partition_seconds": {str(k): v for k, v in report.seconds.items()},
        "partition_records": {str(k): sum(v.values()) for k, v in report.records.items()},
        "parts": len(report.written),
    }


def child(*args: str) -> Any:
    """Run a step of this script in a fresh interpreter and return what it printed as JSON."""
    done = subprocess.run(
        [sys.executable, __file__, *args], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        sys.exit(f"step {args[0]} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def per_record(points: list[tuple[int, float]]) -> float:
    """Seconds per record held, least squares through the origin.

    Through the origin, not a + b x: partitions of one run are of similar
    sizes, so an intercept fitted to them is noise (it came out negative).
    """
    return sum(x * y for x, y in points) / sum(x * x for x, _ in points)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", nargs="?", type=int, default=100_000, help="statements")
    parser.add_argument("--full", action="store_true", help="1,000,000 statements")
    parser.add_argument("-f", "--formats", default="csv,json")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--partitions", type=int, help="default: 4")
    parser.add_argument(
        "--keep", type=Path, metavar="DIR", help="keep the corpus in DIR, and reuse it if there"
    )
    parser.add_argument("--estimate-for", type=int, default=100, help="workers to estimate for")
    parser.add_argument("--step", choices=("plan", "export"), help=argparse.SUPPRESS)
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--counts", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.step == "plan":
        counts = [int(c) for c in args.counts.split(",")]
        print(json.dumps(run_plan(args.corpus, counts)))
        return 0
    if args.step == "export":
        result = run_export(args.corpus, args.out, args.formats, args.partitions, args.workers)
        print(json.dumps(result))
        return 0

    n = 1_000_000 if args.full else args.n
    # Few partitions: in the generated corpus every article names entities
    # from all over, so each partition copies most entities (see README).
    partitions = args.partitions or 4
    big = args.estimate_for
    work = Path(tempfile.mkdtemp(prefix="storyfacts-distributed-"))
    try:
        corpus = args.keep or work / "corpus"
        if (corpus / "header.json").is_file():
            print(f"corpus: reusing {corpus}")
        else:
            started = time.perf_counter()
            counts = write_corpus(n, corpus)
            took = time.perf_counter() - started
            print(f"corpus: {n:,} statements {counts} written in {took:.1f} s", flush=True)
        plans = child("--step", "plan", "--corpus", str(corpus), "--counts", f"{partitions},{big}")
        common = ["--corpus", str(corpus), "-f", args.formats, "--partitions", str(partitions)]
        alone = child("--step", "export", "--out", str(work / "one"), "--workers", "0", *common)
        print(f"one process: {alone['seconds']:.1f} s", flush=True)
        cluster = child(
            "--step", "export", "--out", str(work / "cluster"), "--workers",
            str(args.workers), *common,
        )  # fmt: skip
        print(f"cluster: {cluster['seconds']:.1f} s", flush=True)
        same = all(
            (work / "one" / p).read_bytes() == (work / "cluster" / p).read_bytes()
            for p in ("manifest.json",)
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)

    efficiency = alone["seconds"] / (args.workers * cluster["seconds"])
    points = [
        (alone["partition_records"][k], alone["partition_seconds"][k])
        for k in alone["partition_seconds"]
    ]
    b = per_record(points)
    at_big = plans[str(big)]
    predicted = [b * size for size in at_big["records"]]
    making = at_big["make_seconds"]
    serial = plans["read_seconds"] + at_big["plan_seconds"]
    estimate = serial + max(sum(making), making[0] + max(predicted))
    at_run = plans[str(partitions)]

    print()
    print(f"Distributed export of {n:,} statements ({args.formats}), {partitions} partitions, "
          f"on {os.cpu_count()} cores")  # fmt: skip
    print()
    print("| run | wall time | peak memory per worker | parallel efficiency | load at end |")
    print("|---|---|---|---|---|")
    print(f"| 1 process (synchronous) | {alone['seconds']:.1f} s | "
          f"{alone['worker_peak_mib'][0]:,.0f} MiB (driver and worker) | 1.00 | "
          f"{alone['load']:.1f} |")  # fmt: skip
    peaks = ", ".join(f"{p:,.0f}" for p in cluster["worker_peak_mib"])
    print(f"| LocalCluster, {args.workers} workers | {cluster['seconds']:.1f} s "
          f"(+{cluster['startup_seconds']:.1f} s start) | {peaks} MiB "
          f"(driver {cluster['driver_peak_mib']:,.0f} MiB) | {efficiency:.2f} | "
          f"{cluster['load']:.1f} |")  # fmt: skip
    print(f"| estimate, {big} workers | {estimate:.1f} s | | | |")
    print()
    print(f"Driver alone: read {plans['read_seconds']:.1f} s, check and index "
          f"{at_run['plan_seconds']:.1f} s, cut and make {len(at_run['records'])} partitions "
          f"{sum(at_run['make_seconds']):.1f} s; peak {plans['peak_mib']:,.0f} MiB")  # fmt: skip
    sizes = at_run["records"]
    print(f"Partitions: {min(sizes):,} to {max(sizes):,} records held "
          f"(copies of shared records included)")  # fmt: skip
    print(f"Per partition on one worker: {b * 1e6:.0f} s per million records held")
    print(f"At {big} partitions: {min(at_big['records']):,} to {max(at_big['records']):,} "
          f"records, slowest predicted {max(predicted):.1f} s; driver serial "
          f"{serial:.1f} s + cutting and making {sum(making):.1f} s")  # fmt: skip
    print(f"Manifests of the two runs identical: {same}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
