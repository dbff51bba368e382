"""The relay worker's decisions: retries on transient failures, none for a blocked user,
the answer template outside the WhatsApp window, and a stop that loses nothing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from starlette.routing import BaseRoute

from bot.announcements.ticket_relay import RelayConfig, RelayWorker
from bot.core.delivery import DeliveryFailed, FailureKind
from bot.domain.messages import ChatRef, Reply
from bot.store import Store
from bot.store.ticket_relays import RelayDraft

FAST = RelayConfig(poll_seconds=0.01, max_attempts=3)


@dataclass
class Recorder:
    """A channel that records what it sends, failing from a script first."""

    name: str
    sent: list[tuple[str, str, tuple[str, ...]]] = field(default_factory=list)
    templates: list[tuple[str, str, tuple[str, ...]]] = field(default_factory=list)
    failures: list[DeliveryFailed] = field(default_factory=list)

    def routes(self) -> Sequence[BaseRoute]:
        return ()

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    async def deliver(self, chat: ChatRef, replies: Sequence[Reply], *, bulk: bool = False) -> str:
        assert not bulk, "ticket traffic is not announcement traffic"
        if self.failures:
            raise self.failures.pop(0)
        for reply in replies:
            self.sent.append((chat.chat_id, reply.text, tuple(b.payload for b in reply.buttons)))
        return str(100 + len(self.sent))

    async def send_template(
        self, chat: ChatRef, name: str, language_code: str, parameters: Sequence[str]
    ) -> str:
        self.templates.append((chat.chat_id, name, tuple(parameters)))
        return f"t{len(self.templates)}"


async def _ticket(store: Store, channel: str = "whatsapp") -> int:
    user = await store.people.touch(channel, "62811")
    opened = await store.tickets.open(
        user_id=user.id,
        actor="x",
        channel=channel,
        chat_id="62811",
        locale="id",
        question="q",
        notify=lambda ticket: [
            RelayDraft(
                kind="notify",
                channel="telegram",
                chat_id="-100",
                text=f"Tiket #{ticket.id}",
                buttons=(("Ambil", f"/ambil {ticket.id}"),),
            )
        ],
    )
    return opened.ticket.id


async def _age(store: Store, days: int) -> None:
    from datetime import UTC, datetime

    moment = (datetime.now(UTC) - timedelta(days=days)).isoformat()
    await store._db.execute("UPDATE users SET last_seen_at = ?", (moment,))


async def test_notification_with_buttons_and_retry_after_a_transient_failure(
    store: Store,
) -> None:
    ticket_id = await _ticket(store)
    telegram = Recorder("telegram", failures=[DeliveryFailed(FailureKind.TRANSIENT, "502")])
    worker = RelayWorker(store, [telegram], FAST)
    assert await worker.run_once() == 1
    assert telegram.sent == [] and await store.ticket_relays.states() == {"pending": 1}
    await store._db.execute("UPDATE ticket_relays SET not_before = ''")  # the backoff passed
    assert await worker.run_once() == 1
    assert telegram.sent == [("-100", f"Tiket #{ticket_id}", (f"/ambil {ticket_id}",))]
    assert await store.tickets.posts(ticket_id) == [("telegram", "-100", "101")]
    assert await worker.run_once() == 0  # nothing twice


async def test_a_blocked_user_is_not_retried(store: Store) -> None:
    ticket_id = await _ticket(store)
    answer = RelayDraft(kind="answer", channel="whatsapp", chat_id="62811", text="jawab")
    await store.tickets.answer(ticket_id, "staff", "jawab", answer)
    whatsapp = Recorder("whatsapp", failures=[DeliveryFailed(FailureKind.BLOCKED, "131026")])
    worker = RelayWorker(store, [whatsapp], FAST)
    assert await worker.run_once() == 1
    assert await store.ticket_relays.states(ticket_id) == {"failed": 1, "pending": 1}


async def test_outside_the_window_the_answer_template_carries_the_answer(store: Store) -> None:
    ticket_id = await _ticket(store)
    answer = RelayDraft(kind="answer", channel="whatsapp", chat_id="62811", text="Jawaban X")
    await store.tickets.answer(ticket_id, "staff", "Jawaban X", answer)
    await _age(store, 3)
    whatsapp = Recorder("whatsapp")
    config = RelayConfig(answer_template="jawaban_petugas", waiting_template="menunggu")
    worker = RelayWorker(store, [whatsapp], config)
    assert await worker.run_once() == 1
    assert whatsapp.sent == []
    assert whatsapp.templates == [("62811", "jawaban_petugas", ("Jawaban X",))]
    states = await store.ticket_relays.states(ticket_id)
    assert states == {"sent": 1, "pending": 1}  # the staff card waits for Telegram


async def test_outside_the_window_without_templates_the_answer_waits(store: Store) -> None:
    ticket_id = await _ticket(store)
    answer = RelayDraft(kind="answer", channel="whatsapp", chat_id="62811", text="Jawaban Y")
    await store.tickets.answer(ticket_id, "staff", "Jawaban Y", answer)
    await _age(store, 3)
    whatsapp = Recorder("whatsapp")
    worker = RelayWorker(store, [whatsapp], FAST)
    assert await worker.run_once() == 1
    assert await worker.run_once() == 0  # waiting: not claimed again until the user writes
    assert whatsapp.sent == [] and whatsapp.templates == []
    await store.people.touch("whatsapp", "62811")
    assert await worker.run_once() == 1
    assert whatsapp.sent == [("62811", "Jawaban Y", ())]


async def test_start_recovers_rows_left_in_flight_and_stop_returns(store: Store) -> None:
    await _ticket(store)
    from datetime import UTC, datetime

    now = datetime.now(UTC)
    claimed = await store.ticket_relays.claim("telegram", 5, now, now - timedelta(hours=24))
    assert len(claimed) == 1  # a crashed process held it
    telegram = Recorder("telegram")
    worker = RelayWorker(store, [telegram], FAST)
    await worker.start()
    try:
        for _ in range(200):
            if telegram.sent:
                break
            await _pause()
    finally:
        await worker.stop()
    assert len(telegram.sent) == 1
    assert await store.ticket_relays.states() == {"sent": 1}


async def _pause() -> None:
    import asyncio

    await asyncio.sleep(0.01)
