"""Intent accuracy and latency on shared/eval/dev.jsonl: jamsosbot's pipeline vs a TF-IDF baseline.

Run: `.venv/bin/python benchmarks/understanding.py [DEV.jsonl | --real-style | --real-style-test]`.
Prints one row per system: accuracy, p50/p99 latency per message, and the start-up time of
understanding.

- jamsosbot: every question through `dispatcher.process` as a fresh chat (in process, on a
  temporary copy of the shipped data: user record, role, understanding, answer); latency also
  for understanding plus the intent's handler alone, and for the understanding step alone.
- baseline: scikit-learn `TfidfVectorizer(char_wb, 2-5, sublinear) + LogisticRegression`,
  trained on exactly the same examples (intents.yml), lowercase raw text, no rules.

Also the real-style development set (`benchmarks/data/real_style_dev.jsonl`: messages as
people write them, never trained on): accuracy by length band (<=6, 7-15, 16-30, >30 words)
for jamsosbot and the baseline, how many multi-question rows get all their `intents` in order,
and how many messages would really change a setting (announcements, language) although they
ask something else: each row is sent as a fresh, subscribed person, and their subscriptions
and language are read back from the store afterwards.

Only aggregate figures are printed (per-intent precision/recall and the confused pairs):
the dev rows are a measurement, not training material.

`--real-style-test` prints the same report on the held-out real-style TEST set
(`benchmarks/data/real_style_test.jsonl`, see `REAL_STYLE_TEST_SOURCES.md`): nobody tunes on it;
run it only to measure, and do not look at its rows to fix errors.
"""

from __future__ import annotations

import asyncio
import gc
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from bot.app import App
from bot.config import Settings
from bot.core.context import HandlerContext
from bot.core.formatting import Formatter
from bot.core.routing import merge_routers
from bot.domain.intents import Intent
from bot.domain.messages import ChatRef, Incoming
from bot.domain.roles import Role
from bot.nlu.data import load_intent_data, training_examples
from bot.nlu.evaluation import (
    LabelledQuestion,
    format_report,
    percentile,
    read_jsonl,
    score,
)
from bot.nlu.money import read_amount
from bot.regions.finder import RegionFinder
from bot.runtime import freeze_startup_heap
from handlers import ROUTERS

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT.parent / "shared" / "eval" / "dev.jsonl"
REAL_STYLE = ROOT / "benchmarks" / "data" / "real_style_dev.jsonl"
REAL_STYLE_TEST = ROOT / "benchmarks" / "data" / "real_style_test.jsonl"
BANDS = ((0, 6, "<=6"), (7, 15, "7-15"), (16, 30, "16-30"), (31, 10**9, ">30"))
PASSES = 7  # latency over >= 1,000 messages

STARTUP = (
    "import sys, time; from pathlib import Path; t = time.perf_counter();"
    "from bot.nlu.artefact import default_model; from bot.nlu.understander import NluUnderstander;"
    "u = NluUnderstander(default_model(Path(sys.argv[1])));"
    "u.understand('halo min, iuran bpu brp'); print(time.perf_counter() - t)"
)


def startup_seconds() -> tuple[float, float]:
    """New process each time: imports, data files, model, first message.

    Returns (first start: trains and saves the artefact, median of 3 later starts).
    """
    with tempfile.TemporaryDirectory() as cache:
        runs = []
        for _ in range(4):
            out = subprocess.run(
                [sys.executable, "-c", STARTUP, cache],
                capture_output=True,
                text=True,
                check=True,
                cwd=ROOT,
            )
            runs.append(float(out.stdout.strip()))
    return runs[0], sorted(runs[1:])[1]


ABBREVIATIONS = {
    "berapa": "brp",
    "bagaimana": "gmn",
    "gimana": "gmn",
    "saya": "sy",
    "kalau": "klo",
    "tidak": "gk",
    "sudah": "udh",
    "dapat": "dpt",
    "yang": "yg",
    "untuk": "utk",
    "bisa": "bs",
    "tahun": "thn",
    "bulan": "bln",
}


def perturbed(rows: list[LabelledQuestion], copies: int = 3) -> list[LabelledQuestion]:
    """Each question typed sloppily: abbreviations (p=0.5) and a typo in 35 % of longer words."""
    rng = random.Random(2026)
    out = []
    for _ in range(copies):
        for row in rows:
            words = []
            for word in row.text.split():
                if word.lower() in ABBREVIATIONS and rng.random() < 0.5:
                    word = ABBREVIATIONS[word.lower()]
                elif len(word) > 4 and rng.random() < 0.35:
                    i = rng.randrange(1, len(word) - 1)
                    kind = rng.randrange(4)
                    if kind == 0:
                        word = word[:i] + word[i + 1 :]
                    elif kind == 1:
                        word = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
                    elif kind == 2:
                        word = word[:i] + word[i] + word[i:]
                    else:
                        word = word[:i] + rng.choice("aeiouknrst") + word[i + 1 :]
                words.append(word)
            out.append(LabelledQuestion(text=" ".join(words), intent=row.intent))
    return out


async def answer_times(app: App, rows: list[LabelledQuestion]) -> list[float]:
    """Understanding plus the intent's handler, without the dispatcher's per-message
    bookkeeping (user record, role, question log): what answering itself costs."""
    handlers, _ = merge_routers(ROUTERS)
    fallback = handlers[Intent.FALLBACK]
    user = await app.store.people.touch("console", "bench-answer")
    t = app.dispatcher.catalogues.translator("id")
    msg = Incoming(chat=ChatRef(channel="console", user_id="bench-answer", chat_id="a"))
    timings = []
    for _ in range(PASSES):
        for row in rows:
            started = time.perf_counter()
            understanding = app.dispatcher.understander.understand(row.text)
            ctx = HandlerContext(
                store=app.store,
                user=user,
                role=Role.WORKER,
                understanding=understanding,
                previous=None,
                t=t,
                fmt=Formatter(t.locale),
                today=app.dispatcher.today(),
                settings=app.settings,
            )
            await handlers.get(understanding.intent, fallback)(msg, ctx)
            timings.append((time.perf_counter() - started) * 1000)
    return timings


async def run_bot(
    rows: list[LabelledQuestion], noisy: list[LabelledQuestion]
) -> tuple[list[str], list[str], list[float], list[float], list[float]]:
    with tempfile.TemporaryDirectory() as tmp:
        app = await App.create(Settings(data_dir=Path(tmp)))
        freeze_startup_heap()  # as the bot does once started (`bot.runtime`)
        try:
            understander = app.dispatcher.understander
            predicted: list[str] = []
            full_ms: list[float] = []
            nlu_ms: list[float] = []
            for n in range(PASSES):
                for i, row in enumerate(rows):
                    chat = ChatRef(channel="console", user_id=f"bench-{i}", chat_id=f"b{i}")
                    started = time.perf_counter()
                    outcome = await app.dispatcher.process(
                        Incoming(chat=chat, text=row.text), record=False
                    )
                    full_ms.append((time.perf_counter() - started) * 1000)
                    started = time.perf_counter()
                    understander.understand(row.text)
                    nlu_ms.append((time.perf_counter() - started) * 1000)
                    if n == 0:
                        u = outcome.understanding
                        predicted.append(u.intent.value if u else "")
            predicted_noisy = []
            for i, row in enumerate(noisy):
                chat = ChatRef(channel="console", user_id=f"noisy-{i}", chat_id=f"n{i}")
                outcome = await app.dispatcher.process(
                    Incoming(chat=chat, text=row.text), record=False
                )
                u = outcome.understanding
                predicted_noisy.append(u.intent.value if u else "")
            answer_ms = await answer_times(app, rows)
        finally:
            await app.close()
            gc.unfreeze()  # the next run builds its own bot; this one's heap may go
    return predicted, predicted_noisy, full_ms, nlu_ms, answer_ms


def run_baseline(
    rows: list[LabelledQuestion], noisy: list[LabelledQuestion]
) -> tuple[list[str], list[str], list[float], float]:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    pairs = training_examples(load_intent_data())
    started = time.perf_counter()
    model = make_pipeline(
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True),
        LogisticRegression(C=10.0, max_iter=2000),
    )
    model.fit([text for text, _ in pairs], [intent.value for _, intent in pairs])
    train_s = time.perf_counter() - started
    predicted = [str(label) for label in model.predict([row.text for row in rows])]
    predicted_noisy = [str(label) for label in model.predict([row.text for row in noisy])]
    timings = []
    for _ in range(PASSES):
        for row in rows:
            started = time.perf_counter()
            model.predict([row.text])
            timings.append((time.perf_counter() - started) * 1000)
    return predicted, predicted_noisy, timings, train_s


@dataclass(frozen=True, slots=True)
class RealStyleRow:
    text: str
    intent: str
    intents: tuple[str, ...]


def read_real_style(path: Path) -> list[RealStyleRow]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            intents = tuple(row.get("intents") or (row["intent"],))
            rows.append(RealStyleRow(text=row["text"], intent=row["intent"], intents=intents))
    return rows


def band_of(text: str) -> str:
    words = len(text.split())
    return next(name for low, high, name in BANDS if low <= words <= high)


@dataclass(frozen=True, slots=True)
class RealStyleRun:
    first: list[str]  # the first question's intent, per row
    all_intents: list[tuple[str, ...]]  # every question's intent, in order
    changed: list[bool]  # whether the message changed a setting of the person
    nlu_ms: list[float]  # each window's first reading
    nlu_cpu_ms: list[float]
    nlu_median_ms: list[float]  # each window's median of three readings


async def run_real_style(rows: list[RealStyleRow]) -> RealStyleRun:
    """Each row from a fresh person who is subscribed and has chosen Indonesian; afterwards
    the store says whether the message changed either."""
    first: list[str] = []
    every: list[tuple[str, ...]] = []
    changed: list[bool] = []
    with tempfile.TemporaryDirectory() as tmp:
        app = await App.create(Settings(data_dir=Path(tmp)))
        freeze_startup_heap()  # as the bot does once started (`bot.runtime`)
        try:
            people = app.store.people
            for i, row in enumerate(rows):
                user = await people.touch("console", f"real-{i}")
                await people.subscribe(user.id, None)
                await people.set_locale(user.id, "id")
                chat = ChatRef(channel="console", user_id=f"real-{i}", chat_id=f"r{i}")
                outcome = await app.dispatcher.process(Incoming(chat=chat, text=row.text))
                u = outcome.understanding
                intents = (u.intent.value, *(m.intent.value for m in u.more)) if u else ("",)
                first.append(intents[0])
                every.append(intents)
                after = await people.find("console", f"real-{i}")
                subscribed = await people.subscriptions(user.id)
                changed.append(after is None or after.locale != "id" or subscribed != [None])
            understander = app.dispatcher.understander
            long_text = " ".join(row.text for row in rows if len(row.text.split()) > 30)
            words = long_text.split()
            # Three passes over 100-word windows, each pass's windows shifted by a third: no
            # whole text is read twice. Sentences and runs of words recur (every row was read
            # above), so what is kept per text (amounts) and per window of words (place
            # names) is dropped before each timing: each window is a first reading. What is
            # kept per word (normal forms, feature columns, nearest place names) stays, as in
            # a bot that has been running.
            hundred = [
                " ".join(words[k : k + 100])
                for shift in (0, 33, 66)
                for k in range(shift, len(words) - 100, 100)
            ]
            nlu_cpu_ms = []  # this thread's CPU time: what the message costs on a busy machine
            # Three passes over the windows: the first pass's times are the figure; the median
            # of each window's three is its own cost, without a moment when the shared machine
            # was slow (which one reading alone may catch). A pass reads every other window
            # before a window comes again, so the few texts' phrases a table keeps are gone.
            finder = understander.place_finder
            passes: list[list[float]] = []
            for _ in range(3):
                times = []
                for text in hundred:
                    read_amount.cache_clear()
                    if isinstance(finder, RegionFinder):
                        finder.forget()
                    started, cpu = time.perf_counter(), time.thread_time()
                    understander.understand(text)
                    times.append((time.perf_counter() - started) * 1000)
                    if not passes:
                        nlu_cpu_ms.append((time.thread_time() - cpu) * 1000)
                passes.append(times)
            nlu_ms = passes[0]
            nlu_median_ms = [statistics.median(each) for each in zip(*passes, strict=True)]
        finally:
            await app.close()
            gc.unfreeze()  # the next run builds its own bot; this one's heap may go
    return RealStyleRun(first, every, changed, nlu_ms, nlu_cpu_ms, nlu_median_ms)


def report_real_style(path: Path) -> None:
    rows = read_real_style(path)
    run = asyncio.run(run_real_style(rows))
    questions = [LabelledQuestion(text=row.text, intent=row.intent) for row in rows]
    base, _, _, _ = run_baseline(questions, questions[:1])
    print(f"\nreal-style set: {path} ({len(rows)} messages, never trained on)")
    header = f"{'system':<28} {'all':>7}" + "".join(f" {name:>7}" for _, _, name in BANDS)
    print(header)
    print("-" * len(header))
    for name, predicted in (("jamsosbot", run.first), ("baseline TF-IDF + LR", base)):
        cells = []
        for _, _, band in BANDS:
            pairs = [(r.intent, p) for r, p in zip(rows, predicted, strict=True)]
            in_band = [
                pair for pair, r in zip(pairs, rows, strict=True) if band_of(r.text) == band
            ]
            cells.append(f" {score(in_band).accuracy:>7.1%}")
        overall = score([(r.intent, p) for r, p in zip(rows, predicted, strict=True)]).accuracy
        print(f"{name:<28} {overall:>7.1%}" + "".join(cells))
    print("band sizes:", {name: sum(band_of(r.text) == name for r in rows) for *_, name in BANDS})
    multi = [(r, got) for r, got in zip(rows, run.all_intents, strict=True) if len(r.intents) > 1]
    in_order = sum(got[: len(r.intents)] == r.intents for r, got in multi)
    print(f"multi-question rows with every question found in order: {in_order}/{len(multi)}")
    settings = {"subscribe", "unsubscribe", "language"}
    wrong_reads = sum(
        1 for r, p in zip(rows, run.first, strict=True) if p in settings and p != r.intent
    )
    wrong_changes = sum(
        1
        for r, changed in zip(rows, run.changed, strict=True)
        if changed and r.intent not in settings
    )
    print(
        f"read as a setting request although the label is another intent: {wrong_reads}; "
        f"of those and all others, settings really changed: {wrong_changes}"
    )
    print(
        f"understanding of a 100-word message (n={len(run.nlu_ms)}): "
        f"p50 {percentile(run.nlu_ms, 50):.2f} ms, p99 {percentile(run.nlu_ms, 99):.2f} ms; "
        f"CPU time p50 {percentile(run.nlu_cpu_ms, 50):.2f} ms, "
        f"p99 {percentile(run.nlu_cpu_ms, 99):.2f} ms; "
        f"median of three readings p50 {percentile(run.nlu_median_ms, 50):.2f} ms, "
        f"p99 {percentile(run.nlu_median_ms, 99):.2f} ms"
    )
    print("\njamsosbot per intent on the real-style set:")
    print(format_report(score([(r.intent, p) for r, p in zip(rows, run.first, strict=True)])))


def main() -> int:
    if sys.argv[1:] == ["--real-style"]:  # that set only
        report_real_style(REAL_STYLE)
        return 0
    if sys.argv[1:] == ["--real-style-test"]:  # the held-out test set only
        report_real_style(REAL_STYLE_TEST)
        return 0
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEV
    rows = read_jsonl(path)
    print(f"dev set: {path} ({len(rows)} questions); latency over {PASSES * len(rows)} messages")
    noisy = perturbed(rows)
    bot_pred, bot_noisy, full_ms, nlu_ms, answer_ms = asyncio.run(run_bot(rows, noisy))
    base_pred, base_noisy, base_ms, base_train = run_baseline(rows, noisy)
    startup = startup_seconds()
    ours = score([(row.intent, got) for row, got in zip(rows, bot_pred, strict=True)])
    base = score([(row.intent, got) for row, got in zip(rows, base_pred, strict=True)])
    ours_noisy = score([(row.intent, got) for row, got in zip(noisy, bot_noisy, strict=True)])
    base_noisy_score = score(
        [(row.intent, got) for row, got in zip(noisy, base_noisy, strict=True)]
    )
    header = f"{'system':<44} {'accuracy':>8} {'noisy':>8} {'p50 ms':>8} {'p99 ms':>8}"
    print(f"noisy = each question 3 times with abbreviations and typos ({len(noisy)} questions)")
    print()
    print(header)
    print("-" * len(header))
    print(
        f"{'jamsosbot (full dispatcher, fresh chat)':<44} {ours.accuracy:>8.1%} "
        f"{ours_noisy.accuracy:>8.1%} "
        f"{percentile(full_ms, 50):>8.3f} {percentile(full_ms, 99):>8.3f}"
    )
    print(
        f"{'jamsosbot (understanding + handler answer)':<44} {ours.accuracy:>8.1%} "
        f"{ours_noisy.accuracy:>8.1%} "
        f"{percentile(answer_ms, 50):>8.3f} {percentile(answer_ms, 99):>8.3f}"
    )
    print(
        f"{'jamsosbot (understanding only)':<44} {ours.accuracy:>8.1%} "
        f"{ours_noisy.accuracy:>8.1%} "
        f"{percentile(nlu_ms, 50):>8.3f} {percentile(nlu_ms, 99):>8.3f}"
    )
    print(
        f"{'baseline TF-IDF char 2-5 + LogisticRegression':<44} {base.accuracy:>8.1%} "
        f"{base_noisy_score.accuracy:>8.1%} "
        f"{percentile(base_ms, 50):>8.3f} {percentile(base_ms, 99):>8.3f}"
    )
    print()
    first, warm = startup
    print(
        "start-up of the understanding component (new process, imports included): "
        f"{warm:.3f} s with its saved artefact (median of 3); {first:.3f} s on the first "
        "start after a data change (trains and saves)"
    )
    print(f"baseline training time: {base_train:.3f} s")
    print("\njamsosbot per intent:")
    print(format_report(ours))
    print("\nbaseline confused pairs:")
    for expected, got, count in base.confusions[:15]:
        print(f"  {expected} -> {got}: {count}")
    if REAL_STYLE.is_file():
        report_real_style(REAL_STYLE)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
