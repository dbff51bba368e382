"""`db copy`: the shipped data and a day of traffic, SQLite → PostgreSQL → SQLite."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.cli import main
from bot.store import Store
from bot.store.broadcasts import Audience
from bot.store.claims import Claim
from bot.store.copying import CopyRefused, copy_database, count_rows
from tests import postgres
from tests.conftest import copy_seeded

pytestmark = pytest.mark.own_engines


@pytest.fixture
def empty_postgres() -> Iterator[str]:
    """A new, empty PostgreSQL database (what `db copy` is pointed at)."""
    if postgres.URL is None:
        if postgres.IN_CI:
            pytest.fail(f"CI=true but JAMSOS_TEST_POSTGRES_URL is not set: {postgres.MISSING}")
        pytest.skip(postgres.MISSING)
    name = postgres.new_name("copy")
    yield postgres.create(postgres.URL, name)
    postgres.drop(postgres.URL, name)


async def _a_day_of_traffic(store: Store, people: int = 60) -> None:
    """People on both platforms asking, subscribing, answered; a broadcast sent to them."""
    for n in range(people):
        channel = "telegram" if n % 2 else "whatsapp"
        arrival = await store.arrive(channel, f"{channel}-{n}")
        user = arrival.user
        await store.people.set_locale(user.id, "en" if n % 5 == 0 else "id")
        await store.people.subscribe(user.id, "61.04" if n % 3 == 0 else None)
        await store.conversations.save(user.id, "jht_claim", "wage=5000000")
        await store.questions.log(
            user_id=user.id,
            channel=channel,
            text=f"berapa iuran bpu {n}",
            intent="contribution_bpu",
            score=0.9,
            answered=n % 7 != 0,
        )
        if channel == "telegram":
            await store.telegram.record_updates([1000 + n])
        else:
            wamid = f"wamid.{n}"
            await store.whatsapp.claim_inbound([wamid], {wamid: '{"text": "halo"}'})
            await store.whatsapp.finish_inbound(
                wamid,
                external_id=f"whatsapp-{n}",
                wa_id=f"62812{n:06d}",
                bsuid=None,
                update_contact=True,
            )
            await store.whatsapp.record_outgoing([f"out.{n}"], user_id=user.id, kind="reply")
    claim = Claim.fresh("host:1:cafe", timedelta(seconds=60))  # kept, being answered
    await store.telegram.keep_pending(5000, '{"update_id": 5000}', claim)
    await store.telegram.store_callback("coverage_region|" + "x" * 80)
    draft = await store.broadcasts.create(
        created_by="cli:test",
        text_id="Pengumuman",
        text_en="Announcement",
        audience=Audience(),
        send_at=None,
        recipients=people,
    )
    now = datetime.now(UTC)
    await store.broadcasts.confirm(draft.id, "cli:test", now)
    items = await store.outbox.claim("telegram", 10, now + timedelta(seconds=1))
    assert items


async def test_shipped_data_and_a_day_of_traffic_round_trip_with_identical_counts(
    tmp_path: Path, seeded_database: Path, empty_postgres: str
) -> None:
    first = tmp_path / "first.sqlite3"
    copy_seeded(seeded_database, first)
    source = await Store.open(first)
    await _a_day_of_traffic(source)
    before = await count_rows(source.database)
    assert before["regions"] > 90_000 and before["outbox"] >= 60 and before["facts"] > 0

    middle = await Store.open(empty_postgres, seed=False, files=tmp_path)
    back = await Store.open(tmp_path / "back.sqlite3", seed=False)
    try:
        copied = await copy_database(source.database, middle.database)
        assert copied == before
        assert await count_rows(middle.database) == before
        await copy_database(middle.database, back.database)
        assert await count_rows(back.database) == before

        # New rows continue after the copied ids, and the copy answers like the source.
        again = await middle.people.touch("telegram", "someone-new")
        assert again.id > max(before["users"], 1)
        found = await middle.people.find("whatsapp", "whatsapp-2")
        assert found is not None and found.locale == "id"
        await middle.facts.load()
        assert middle.facts.current("contact.call_centre", datetime.now(UTC).date()) == (
            source.facts.current("contact.call_centre", datetime.now(UTC).date())
        )
        with pytest.raises(CopyRefused, match="not empty"):
            await copy_database(source.database, middle.database)
    finally:
        await back.close()
        await middle.close()
        await source.close()


def test_db_copy_command_copies_into_postgresql(
    tmp_path: Path,
    seeded_database: Path,
    empty_postgres: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("JAMSOS_DEFAULT_LOCALE", "en")
    source = tmp_path / "bot.sqlite3"
    copy_seeded(seeded_database, source)

    assert main(["db", "copy", f"sqlite://{source}", empty_postgres]) == 0
    out = capsys.readouterr().out
    assert "regions: " in out and "copied " in out
    assert main(["db", "copy", f"sqlite://{source}", empty_postgres]) == 1  # not empty now
    assert "not copied: " in capsys.readouterr().err
