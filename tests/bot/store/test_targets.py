from __future__ import annotations

from datetime import date
from decimal import Decimal

from bot.store import Store
from bot.store.targets import VillageTarget

SUTERA = "61.11.01.2001"  # Desa Sutera, Kecamatan Sukadana, Kabupaten Kayong Utara
SUKADANA_PEERS = ("61.11.01.2002", "61.11.01.2003")
SIMPANG_HILIR_VILLAGE = "61.11.02.2001"


def row(code: str, registered: int, *, target: int = 100, on: str = "2025-06-30") -> VillageTarget:
    return VillageTarget(
        village_code=code,
        year=2025,
        as_of=date.fromisoformat(on),
        target=target,
        registered=registered,
        source="Dinas PMD Kayong Utara",
    )


async def test_same_rows_again_change_nothing(store: Store) -> None:
    rows = [row(SUTERA, 40), row(SUKADANA_PEERS[0], 10)]
    assert await store.targets.upsert_many(rows) == 2
    assert await store.targets.upsert_many(rows) == 0
    assert await store.targets.count() == 2


async def test_correction_on_same_date_replaces_the_figure(store: Store) -> None:
    await store.targets.upsert_many([row(SUTERA, 40)])
    assert await store.targets.upsert_many([row(SUTERA, 45)]) == 1
    latest = await store.targets.latest(SUTERA)
    assert latest is not None and latest.registered == 45
    assert await store.targets.count() == 1


async def test_newer_date_keeps_history(store: Store) -> None:
    await store.targets.upsert_many([row(SUTERA, 40, on="2025-06-30")])
    await store.targets.upsert_many([row(SUTERA, 55, on="2025-09-30")])
    history = await store.targets.history(SUTERA)
    assert [(h.as_of.isoformat(), h.registered) for h in history] == [
        ("2025-06-30", 40),
        ("2025-09-30", 55),
    ]
    standing = await store.targets.standing(SUTERA)
    assert standing is not None
    assert standing.current.registered == 55
    assert standing.previous is not None and standing.previous.registered == 40


async def test_rank_in_district_and_regency(store: Store) -> None:
    await store.targets.upsert_many(
        [
            row(SUTERA, 40),
            row(SUKADANA_PEERS[0], 80),
            row(SUKADANA_PEERS[1], 40),
            row(SIMPANG_HILIR_VILLAGE, 90),
        ]
    )
    # An older import of a peer must not count twice.
    await store.targets.upsert_many([row(SUKADANA_PEERS[0], 5, on="2025-01-31")])
    standing = await store.targets.standing(SUTERA)
    assert standing is not None
    assert standing.district is not None and standing.regency is not None
    assert (standing.district.area_code, standing.district.position, standing.district.of) == (
        "61.11.01",
        2,
        3,
    )
    assert (standing.regency.area_code, standing.regency.position, standing.regency.of) == (
        "61.11",
        3,
        4,
    )


async def test_progress_figures(store: Store) -> None:
    await store.targets.upsert_many([row(SUTERA, 130, target=120)])
    latest = await store.targets.latest(SUTERA)
    assert latest is not None
    assert latest.remaining == 0
    assert latest.percent == Decimal("108.33")
    zero = row(SUTERA, 0, target=0)
    assert zero.percent is None


async def test_no_data_is_none(store: Store) -> None:
    assert await store.targets.latest(SUTERA) is None
    assert await store.targets.standing(SUTERA) is None
