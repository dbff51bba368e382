"""WhatsApp bookkeeping in the store: identities, handled ids, outgoing statuses."""

from __future__ import annotations

import base64
import hashlib
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.store import Store
from bot.store.sqlite import read_migrations as _read_migrations
from bot.store.whatsapp import StatusChange, inbound_key


async def test_an_inbound_id_is_claimed_once(store: Store) -> None:
    assert await store.whatsapp.claim_inbound(["wamid.A", "wamid.B", "wamid.A"]) == {
        "wamid.A",
        "wamid.B",
    }
    assert await store.whatsapp.claim_inbound(["wamid.A", "wamid.C"]) == {"wamid.C"}
    assert not await store.whatsapp.is_handled("wamid.A")


async def test_content_is_kept_only_until_the_message_is_answered(store: Store) -> None:
    await store.whatsapp.claim_inbound(["w1", "w2"], {"w1": '{"text": "halo"}', "w2": "{}"})
    await store.people.touch("whatsapp", "628")
    await store.whatsapp.finish_inbound(
        "w2", external_id="628", wa_id="628", bsuid=None, update_contact=False
    )

    hour_ago = datetime.now(UTC) - timedelta(hours=1)
    assert await store.whatsapp.unhandled(hour_ago) == [(inbound_key("w1"), '{"text": "halo"}')]
    assert await store.whatsapp.unhandled(datetime.now(UTC) + timedelta(seconds=1)) == []
    assert await store.whatsapp.forget_pending(datetime.now(UTC) + timedelta(seconds=1)) == 1
    assert await store.whatsapp.unhandled(hour_ago) == []


async def test_finishing_keeps_both_identities_and_the_replies(store: Store) -> None:
    user = await store.people.touch("whatsapp", "6281234567890")
    await store.whatsapp.claim_inbound(["wamid.IN1"])

    await store.whatsapp.finish_inbound(
        "wamid.IN1",
        external_id="6281234567890",
        wa_id="6281234567890",
        bsuid="ID.1",
        update_contact=True,
        sent=["wamid.OUT1", "wamid.OUT2"],
    )

    assert await store.whatsapp.is_handled("wamid.IN1")
    contact = await store.whatsapp.find_contact(wa_id=None, bsuid="ID.1")
    assert contact is not None
    assert (contact.user_id, contact.wa_id, contact.recipient) == (
        user.id,
        "6281234567890",
        "6281234567890",
    )
    sent = await store.whatsapp.outgoing_many(["wamid.OUT1", "wamid.OUT2", "wamid.X"])
    assert sorted(sent) == ["wamid.OUT1", "wamid.OUT2"]
    assert {m.user_id for m in sent.values()} == {user.id}


async def test_a_person_who_hides_the_phone_is_still_found_by_bsuid(store: Store) -> None:
    await store.people.touch("whatsapp", "6281234567890")
    await store.whatsapp.finish_inbound(
        "wamid.1",
        external_id="6281234567890",
        wa_id="6281234567890",
        bsuid="ID.1",
        update_contact=True,
    )
    # Later webhooks carry only the BSUID; the phone stays known for sending.
    await store.whatsapp.finish_inbound(
        "wamid.2", external_id="6281234567890", wa_id=None, bsuid="ID.1", update_contact=True
    )

    contact = await store.whatsapp.contact_of("6281234567890")
    assert contact is not None and (contact.wa_id, contact.bsuid) == ("6281234567890", "ID.1")


async def test_a_reassigned_phone_number_moves_to_the_new_person(store: Store) -> None:
    await store.people.touch("whatsapp", "ID.OLD")
    await store.people.touch("whatsapp", "ID.NEW")
    await store.whatsapp.finish_inbound(
        "w1", external_id="ID.OLD", wa_id="628111", bsuid="ID.OLD", update_contact=True
    )
    await store.whatsapp.finish_inbound(
        "w2", external_id="ID.NEW", wa_id="628111", bsuid="ID.NEW", update_contact=True
    )

    old = await store.whatsapp.contact_of("ID.OLD")
    new = await store.whatsapp.contact_of("ID.NEW")
    assert old is not None and (old.wa_id, old.recipient) == (None, "ID.OLD")
    assert new is not None and new.wa_id == "628111"


async def test_statuses_only_move_forward_and_failures_are_reported(store: Store) -> None:
    user = await store.people.touch("whatsapp", "628")
    await store.whatsapp.record_outgoing(["wamid.1", "wamid.2"], user_id=user.id, kind="bulk")

    failures = await store.whatsapp.record_statuses(
        [
            StatusChange(wamid="wamid.1", status="read"),
            StatusChange(wamid="wamid.1", status="delivered"),  # late, ignored
            StatusChange(wamid="wamid.2", status="sent"),
            StatusChange(wamid="wamid.2", status="failed", error_code=131026, error_title="x"),
            StatusChange(wamid="wamid.2", status="delivered"),  # failed is final
            StatusChange(wamid="wamid.unknown", status="failed", error_code=131026),
        ]
    )

    assert [(f.wamid, f.user_id, f.error_code) for f in failures] == [("wamid.2", user.id, 131026)]
    sent = await store.whatsapp.outgoing_many(["wamid.1", "wamid.2"])
    assert (sent["wamid.1"].status, sent["wamid.2"].status) == ("read", "failed")
    counts = await store.whatsapp.status_counts(since=datetime.now(UTC) - timedelta(hours=1))
    assert counts == {"read": 1, "failed": 1}


async def test_deleting_a_user_removes_their_whatsapp_rows(store: Store) -> None:
    user = await store.people.touch("whatsapp", "628")
    await store.whatsapp.finish_inbound(
        "w1", external_id="628", wa_id="628", bsuid=None, update_contact=True, sent=["o1"]
    )

    assert await store.privacy.forget(user.id)  # /hapusdata

    assert await store.whatsapp.contact_of("628") is None
    assert await store.whatsapp.outgoing("o1") is None


async def test_inbound_ids_are_kept_as_digests_without_the_phone_inside(store: Store) -> None:
    # Meta's message ids are base64 with the sender's number inside ("628123456789" here).
    wamid = "wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYFDNBMDFBQTAwMDAwMDAwMDAwMDAxAA=="
    assert base64.b64decode(wamid.removeprefix("wamid.")).find(b"628123456789") > 0
    assert await store.whatsapp.claim_inbound([wamid]) == {wamid}
    assert await store.whatsapp.claim_inbound([wamid]) == set()  # still a duplicate

    rows = await store.database.fetch_all("SELECT wamid FROM whatsapp_inbound")
    kept = [row[0] for row in rows]
    assert kept == [hashlib.sha256(wamid.encode()).hexdigest()]


async def test_the_upgrade_turns_ids_already_kept_into_digests(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as db:  # a database as migration 0040 left it
        for version, _name, sql in _read_migrations():
            if version <= 40:
                db.executescript(f"{sql}\nPRAGMA user_version = {version};")
        db.execute(
            "INSERT INTO whatsapp_inbound (wamid, received_at, handled_at)"
            " VALUES ('wamid.OLD', '2026-11-20T00:00:00+00:00', '2026-11-20T00:00:01+00:00')"
        )
    upgraded = await Store.open(path)
    try:
        assert await upgraded.whatsapp.is_handled("wamid.OLD")
        assert await upgraded.whatsapp.claim_inbound(["wamid.OLD"]) == set()  # not answered twice
    finally:
        await upgraded.close()
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT wamid FROM whatsapp_inbound").fetchall() == [
            (inbound_key("wamid.OLD"),)
        ]
