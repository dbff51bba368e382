"""Gazetteer benchmark: bulk load into a new database, name lookup latency, resident memory.

Figures (targets from issue 4):
- load: `Store.open` of a new database file (migrations + every shipped seed, the ~92,000
  regions among them), and the regions step alone (`seed_regions`): goal <= 10 s;
- lookup: `RegionFinder.find` on a mix of messages built from the real gazetteer (regency
  and province names with and without "kab"/"kota", "desa <village>" and "kec <district>",
  one-letter typos, sentences without any place): p50, p99 and max, goal p99 <= 2 ms;
- memory: resident set size (VmRSS, and the peak VmHWM) of a fresh process that ran
  `App.create` (store, gazetteer index, NLU, catalogues), on a new database (first start,
  which loads the gazetteer) and on the same database again (a restart): goal <= 150 MB.

    .venv/bin/python benchmarks/gazetteer.py [--queries 20000] [--runs 3]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.regions.finder import RegionFinder  # noqa: E402
from bot.store import Region, Store  # noqa: E402
from bot.store.regional_seed import seed_regions  # noqa: E402

SENTENCES = (
    "cakupan bpjs tk ketapang 2024",
    "bandingkan ketapang sama kayong utara",
    "kabupaten mana cakupannya tertinggi di kalbar",
    "anggaran pemda ketapang buat pekerja rentan",
    "target desa sutera kayong utara berapa",
    "syarat klaim jht bawa ktp dan kk",
    "iuran bpjs tk gaji 4,5jt berapa",
    "cara cairin jht abis resign gimana ya min",
    "cakupan 61.04",
)

_RSS_PROBE = """
import asyncio, sys
from pathlib import Path
from bot.app import App
from bot.config import Settings

async def main() -> None:
    app = await App.create(Settings(data_dir=Path(sys.argv[1])))
    status = Path("/proc/self/status").read_text().splitlines()
    fields = dict(line.split(":", 1) for line in status if ":" in line)
    print(fields["VmRSS"].split()[0], fields["VmHWM"].split()[0])
    await app.close()

asyncio.run(main())
"""


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 7:
        return word
    i = rng.randrange(1, len(word) - 1)
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]  # swap two letters


def build_queries(regions: list[Region], count: int, seed: int = 4) -> list[str]:
    rng = random.Random(seed)
    upper = [r for r in regions if r.level in ("province", "regency")]
    districts = [r for r in regions if r.level == "district"]
    villages = [r for r in regions if r.level == "village"]
    queries: list[str] = []
    while len(queries) < count:
        kind = rng.randrange(6)
        if kind == 0:
            queries.append(f"cakupan {rng.choice(upper).short_name.lower()} 2024")
        elif kind == 1:
            queries.append(f"anggaran pemda kab {rng.choice(upper).short_name}")
        elif kind == 2:
            queries.append(f"target desa {rng.choice(villages).name} berapa")
        elif kind == 3:
            queries.append(f"kec {rng.choice(districts).name}")
        elif kind == 4:
            queries.append(f"cakupan {_typo(rng.choice(upper).short_name.lower(), rng)}")
        else:
            queries.append(rng.choice(SENTENCES))
    return queries


async def measure_load(runs: int) -> tuple[list[float], list[float]]:
    whole: list[float] = []
    regions_only: list[float] = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as folder:
            started = time.perf_counter()
            store = await Store.open(Path(folder) / "a.sqlite3")
            whole.append(time.perf_counter() - started)
            await store.close()
            store = await Store.open(Path(folder) / "b.sqlite3", seed=False)
            started = time.perf_counter()
            await seed_regions(store.regions, store.meta)
            regions_only.append(time.perf_counter() - started)
            await store.close()
    return whole, regions_only


async def measure_lookup(count: int) -> tuple[float, list[float]]:
    with tempfile.TemporaryDirectory() as folder:
        store = await Store.open(Path(folder) / "c.sqlite3")
        started = time.perf_counter()
        finder = await RegionFinder.load(store.regions)
        build = time.perf_counter() - started
        regions = await store.regions.all()
        await store.close()
    queries = build_queries(regions, count)
    for query in queries[:500]:  # warm-up
        finder.find(query)
    timings = []
    for query in queries:
        started = time.perf_counter_ns()
        finder.find(query)
        timings.append((time.perf_counter_ns() - started) / 1e6)
    return build, sorted(timings)


def measure_rss(data_dir: Path) -> tuple[float, float]:
    """(VmRSS, VmHWM) in MB of a fresh process that created the app on `data_dir`."""
    done = subprocess.run(
        [sys.executable, "-c", _RSS_PROBE, str(data_dir)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    rss, peak = done.stdout.split()[-2:]
    return int(rss) / 1024, int(peak) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    whole, regions_only = asyncio.run(measure_load(args.runs))
    print(
        f"load, new database (Store.open, all seeds): median {statistics.median(whole):.2f} s,"
        f" max {max(whole):.2f} s over {args.runs} runs (goal <= 10 s)"
    )
    print(
        f"load, gazetteer alone (seed_regions): median {statistics.median(regions_only):.2f} s,"
        f" max {max(regions_only):.2f} s"
    )
    build, timings = asyncio.run(measure_lookup(args.queries))
    p50 = timings[len(timings) // 2]
    p99 = timings[min(len(timings) - 1, int(len(timings) * 0.99))]
    print(f"finder index build (from the store, in a thread): {build:.2f} s")
    print(
        f"lookup over {len(timings)} messages: p50 {p50:.3f} ms, p99 {p99:.3f} ms,"
        f" max {timings[-1]:.3f} ms (goal p99 <= 2 ms)"
    )
    with tempfile.TemporaryDirectory() as folder:
        first = measure_rss(Path(folder))
        again = measure_rss(Path(folder))
    print(
        f"resident memory after App.create, first start: {first[0]:.0f} MB"
        f" (peak {first[1]:.0f} MB); restart: {again[0]:.0f} MB (peak {again[1]:.0f} MB)"
        " (goal <= 150 MB)"
    )


if __name__ == "__main__":
    main()
