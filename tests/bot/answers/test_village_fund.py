from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from bot.answers.village_fund import fund_coverage, fund_reply
from bot.core.i18n import Catalogues
from bot.domain.intents import Intent
from bot.store import Store
from tests.conftest import worker_context


def test_worker_months_and_workers_for_a_year() -> None:
    coverage = fund_coverage(50_000_000, Decimal(16_800))
    assert coverage.worker_months == 2976
    assert coverage.workers_for_year == 248
    assert fund_coverage(16_799, Decimal(16_800)).worker_months == 0


def test_zero_contribution_is_refused() -> None:
    with pytest.raises(ValueError):
        fund_coverage(1, Decimal(0))


async def test_without_the_bpu_facts_the_answer_is_unknown(tmp_path: Path) -> None:
    store = await Store.open(tmp_path / "empty.sqlite3", seed=False)
    try:
        user = await store.people.touch("console", "u1")
        t = Catalogues.load().translator("id")
        ctx = worker_context(store, user, t, Intent.VILLAGE_TARGET)
        reply = fund_reply(ctx, 50_000_000)
    finally:
        await store.close()
    assert reply.text == ctx.unknown_text()
    assert "pekerja" not in reply.text
