"""Costs operations adds to every message: FAQ matching, log redaction, metrics; and the
staff report's grouping of unanswered questions.

Run: `.venv/bin/python benchmarks/operations.py`. Prints p50/p99 per call (synthetic data,
in process): FAQ matching with 200 FAQs x 5 phrasings (paid only when the classifier falls
back or is unsure), redacting one log line, observing one message in the metrics, rendering
/metrics, and grouping 2,000 unanswered questions (`/statistik`, `jamsosbot stats`).
"""

from __future__ import annotations

import os
import random
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from bot.core.metrics import Metrics
from bot.logs import redact, setup_logging
from bot.nlu.faq import FaqMatcher
from bot.ops.statistics import group_questions
from bot.store.faqs import Faq

WORDS = [
    "kartu",
    "peserta",
    "hilang",
    "bagaimana",
    "cara",
    "daftar",
    "bpjs",
    "nelayan",
    "ojol",
    "petani",
    "jmo",
    "aplikasi",
    "lupa",
    "password",
    "saldo",
    "klaim",
    "jht",
    "kantor",
    "cabang",
    "buka",
    "sabtu",
    "iuran",
    "bayar",
    "telat",
    "denda",
    "desa",
    "kabupaten",
    "ketapang",
    "sukadana",
    "gaji",
    "upah",
    "bulan",
    "tahun",
    "anak",
    "sekolah",
    "beasiswa",
    "kecelakaan",
    "kerja",
    "meninggal",
]


def _sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def _measure(name: str, func: Callable[[], object], repeat: int) -> None:
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        func()
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    p50 = statistics.median(timings)
    p99 = timings[min(len(timings) - 1, int(len(timings) * 0.99))]
    print(f"{name:<44} p50 {p50:8.3f} ms   p99 {p99:8.3f} ms   ({repeat} runs)")


def main() -> None:
    rng = random.Random(8)
    now = datetime.now(UTC)
    faqs = [
        Faq(
            id=i,
            question=_sentence(rng, 6),
            answer_id="jawaban",
            answer_en="",
            source="sumber",
            examples=tuple(_sentence(rng, rng.randint(3, 8)) for _ in range(5)),
            created_at=now,
        )
        for i in range(200)
    ]
    matcher = FaqMatcher(faqs)
    questions = [_sentence(rng, rng.randint(3, 12)) for _ in range(500)]
    _measure(
        "FAQ match (200 FAQs x 5 phrasings)", lambda: matcher.match(rng.choice(questions)), 500
    )

    line = "message failed text='NIK 3201234567890001 hp +62 812-3456-7890 mau klaim jht'"
    _measure("redact one log line", lambda: redact(line, ["secret-token-value"]), 5000)

    metrics = Metrics()

    def observe() -> None:
        metrics.observe_message(
            channel="whatsapp",
            user_id="6281234567890",
            intent=rng.choice(("jht_claim", "fallback", "greeting")),
            answered=True,
            replies=1,
            seconds=0.01,
        )

    with Path(os.devnull).open("w", encoding="utf-8") as sink:  # the JSON line is written, unseen
        setup_logging("INFO", ["secret-token-value"], stream=sink)
        _measure("observe one message (counters + JSON log line)", observe, 5000)
        setup_logging("WARNING")
    _measure("render /metrics", metrics.render, 500)

    unanswered = [_sentence(rng, rng.randint(2, 8)) for _ in range(2000)]
    _measure("group 2,000 unanswered questions", lambda: group_questions(unanswered), 5)


if __name__ == "__main__":
    main()
