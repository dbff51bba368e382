"""Intent accuracy and latency on shared/eval/dev.jsonl: jamsosbot's pipeline vs a TF-IDF baseline.

Run: `.venv/bin/python benchmarks/understanding.py [DEV.jsonl]`. Prints one row per system:
accuracy, p50/p99 latency per message, and the start-up time of the understanding component.

- jamsosbot: every question through `dispatcher.process` as a fresh chat (in process, on a
  temporary copy of the shipped data: user record, role, understanding, answer); latency also
  for understanding plus the intent's handler alone, and for the understanding step alone.
- baseline: scikit-learn `TfidfVectorizer(char_wb, 2-5, sublinear) + LogisticRegression`,
  trained on exactly the same examples (intents.yml), lowercase raw text, no rules.

Only aggregate figures are printed (per-intent precision/recall and the confused pairs):
the dev rows are a measurement, not training material.
"""

from __future__ import annotations

import asyncio
import os
import random
import subprocess
import sys
import tempfile
import time
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
from handlers import ROUTERS

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT.parent / "shared" / "eval" / "dev.jsonl"
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


def main() -> int:
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
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
