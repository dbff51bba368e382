"""Where the real-style sets' checks find their files: this repo's benchmark data, and the
steering repo's shared/ beside it (from a git worktree, further up)."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "benchmarks" / "data"


def _find_shared() -> Path:
    here = Path(__file__).resolve()
    for parent in [here.parents[3], *here.parents[4:]]:
        if (parent / "shared" / "spec" / "intents.md").exists():
            return parent / "shared"
    return here.parents[3] / "shared"


SHARED = _find_shared()
SPEC = SHARED / "spec" / "intents.md"
EVAL_DEV = SHARED / "eval" / "dev.jsonl"
# The fields of a real-style row.
FIELDS = {"text", "intent", "intents", "origin", "source"}
