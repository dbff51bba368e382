"""`eval FILE.jsonl [--json]`: intent accuracy of the whole pipeline on labelled questions.

Each row (`text`, `intent`; other fields ignored) goes through the dispatcher as the first
message of a fresh chat, unrecorded (no question log, no conversation state).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bot.app import App
from bot.commands.common import Progress, cli_text, help_text
from bot.config import Settings
from bot.domain.messages import ChatRef, Incoming
from bot.nlu.evaluation import (
    BadEvalFile,
    LabelledQuestion,
    format_report,
    percentile,
    read_jsonl,
    score,
)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("eval", help=help_text("cli.help.eval.1"))
    parser.add_argument("file", type=Path, help=help_text("cli.help.eval.2"))
    parser.add_argument("--json", action="store_true", help=help_text("cli.help.eval.3"))
    parser.set_defaults(func=_eval)


async def evaluate(
    app: App, rows: Sequence[LabelledQuestion], progress: Progress | None = None
) -> dict[str, Any]:
    """The JSON document of `eval --json` (see the module docstring)."""
    results: list[dict[str, Any]] = []
    timings: list[float] = []
    for number, row in enumerate(rows):
        if progress is not None:
            progress.step(number)
        chat = ChatRef(channel="console", user_id=f"eval-{number}", chat_id=f"eval-{number}")
        started = time.perf_counter()
        outcome = await app.dispatcher.process(Incoming(chat=chat, text=row.text), record=False)
        timings.append((time.perf_counter() - started) * 1000)
        understanding = outcome.understanding
        results.append(
            {
                "text": row.text,
                "expected": row.intent,
                "intent": understanding.intent.value if understanding else None,
                "score": round(understanding.score, 4) if understanding else None,
                "slots": understanding.slots.as_dict() if understanding else {},
                "replies": [
                    {
                        "text": reply.text,
                        "buttons": [
                            {"title": b.title, "payload": b.payload} for b in reply.buttons
                        ],
                    }
                    for reply in outcome.replies
                ],
            }
        )
    if progress is not None:
        progress.done()
    report = score([(r["expected"], r["intent"] or "") for r in results])
    return {
        "summary": {
            "n": report.n,
            "accuracy": round(report.accuracy, 4),
            "p50_ms": round(percentile(timings, 50), 3),
            "p99_ms": round(percentile(timings, 99), 3),
        },
        "results": results,
    }


async def _eval(args: argparse.Namespace, settings: Settings) -> int:
    say = cli_text(settings.default_locale)
    if not args.file.is_file():
        print(say("cli.eval.no_file", path=args.file), file=sys.stderr)
        return 2
    try:
        rows = await asyncio.to_thread(read_jsonl, args.file)
    except BadEvalFile as exc:
        print(say("cli.eval.bad_file", path=args.file, error=exc), file=sys.stderr)
        return 2
    app = await App.create(settings)
    try:
        document = await evaluate(app, rows, progress=Progress(len(rows), say))
    finally:
        await app.close()
    if args.json:
        json.dump(document, sys.stdout, ensure_ascii=False, indent=1)
        print()
        return 0
    pairs = [(r["expected"], r["intent"] or "") for r in document["results"]]
    summary = document["summary"]
    print(format_report(score(pairs)))
    print()
    print(say("cli.eval.latency", p50=summary["p50_ms"], p99=summary["p99_ms"]))
    return 0
