"""`jamsosbot tickets list | show | reply | close` and the tickets in `jamsosbot stats`."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from bot.store import Store
from bot.store.ticket_relays import RelayDraft
from tests.bot.commands.test_faq import CliRunner, cli  # noqa: F401 (the fixture)


async def _seed(data_dir: Path) -> None:
    store = await Store.open(data_dir / "jamsosbot.sqlite3", seed=False)
    try:
        for external_id, locale in (("6281", "en"), ("6282", "id")):
            user = await store.people.touch("whatsapp", external_id)
            await store.tickets.open(
                user_id=user.id,
                actor=f"whatsapp:{external_id}",
                channel="whatsapp",
                chat_id=external_id,
                locale=locale,
                question=f"question of {external_id}",
                region_code="61.71",
                topic="jht_claim",
                notify=lambda t: [
                    RelayDraft(kind="notify", channel="telegram", chat_id="-1", text="card")
                ],
            )
    finally:
        await store.close()


async def _relays(data_dir: Path) -> tuple[dict[str, int], list[str]]:
    store = await Store.open(data_dir / "jamsosbot.sqlite3", seed=False)
    try:
        actions = [e.action for e in await store.audit.recent(action_prefix="ticket.")]
        return await store.ticket_relays.states(1), actions
    finally:
        await store.close()


def test_list_show_reply_close(data_dir: Path, cli: CliRunner) -> None:  # noqa: F811
    asyncio.run(_seed(data_dir))
    status, out, _ = cli("tickets", "list", "--open", "--json")
    assert status == 0
    listed = json.loads(out)
    assert [(t["id"], t["status"], t["locale"]) for t in listed] == [
        (2, "open", "id"),
        (1, "open", "en"),
    ]
    status, out, _ = cli("tickets", "show", "1")
    assert status == 0 and "question of 6281" in out and "[" in out

    status, out, _ = cli("tickets", "reply", "1", "Your", "claim", "is", "being", "checked.")
    assert status == 0 and "masuk antrean" in out
    states, actions = asyncio.run(_relays(data_dir))
    assert states == {"pending": 2}  # the card and the answer, for the running bot to send
    status, out, _ = cli("tickets", "show", "1", "--json")
    shown = json.loads(out)
    assert shown["status"] == "answered"
    assert shown["messages"][-1] == {
        "author": "staff",
        "text": "Your claim is being checked.",
        "at": shown["messages"][-1]["at"],
    }

    assert cli("tickets", "close", "1")[0] == 0
    assert cli("tickets", "close", "1")[0] == 1  # already closed
    assert cli("tickets", "reply", "1", "late")[0] == 1
    assert cli("tickets", "show", "9")[0] == 1
    status, out, _ = cli("tickets", "list")
    assert "#1" in out and "closed" in out and "2 tiket" in out
    _, actions = asyncio.run(_relays(data_dir))
    assert actions[:4] == ["ticket.close", "ticket.show", "ticket.answer", "ticket.show"]
    assert all(action.startswith("ticket.") for action in actions)


def test_stats_shows_the_inbox(data_dir: Path, cli: CliRunner) -> None:  # noqa: F811
    asyncio.run(_seed(data_dir))
    cli("tickets", "reply", "2", "Sudah diproses.")
    status, out, _ = cli("stats")
    assert status == 0
    assert "Tiket (semua yang tersimpan): open: 1  claimed: 0  answered: 1  closed: 0" in out
    assert "Dijawab dalam periode: 1" in out and "61.71" in out and "jht_claim" in out
    status, out, _ = cli("stats", "--json")
    tickets = json.loads(out)["tickets"]
    assert tickets["per_status"]["answered"] == 1
    assert tickets["median_first_answer_seconds"] >= 0
