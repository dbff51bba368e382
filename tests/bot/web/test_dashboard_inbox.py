"""The Inbox over real HTTP: claim, reply (queued for the user), close, save as FAQ."""

from __future__ import annotations

from tests.bot.web.conftest import Served, csrf_of


async def test_claim_reply_save_as_faq_and_close(served: Served) -> None:
    store = served.app.store
    opened = await store.tickets.open(
        user_id=served.worker.id,
        actor="whatsapp:6281234567890",
        channel="whatsapp",
        chat_id="6281234567890",
        locale="id",
        question="kartu saya hilang, nomor saya 6281234567890",
        topic="membership",
    )
    number = opened.ticket.id
    async with served.client(served.staff) as client:
        inbox = await client.get("/dasbor/kotak-masuk")
        assert f'href="/dasbor/kotak-masuk/{number}"' in inbox.text
        assert "6281234567890" not in inbox.text  # masked
        page = await client.get(f"/dasbor/kotak-masuk/{number}")
        csrf = csrf_of(page.text)
        url = f"/dasbor/kotak-masuk/{number}"
        claimed = await client.post(url, data={"csrf": csrf, "action": "claim"})
        assert claimed.status_code == 303
        ticket = await store.tickets.get(number)
        assert ticket is not None and ticket.claimed_by == "telegram:900002"
        answer = "Kartu bisa dicetak ulang lewat aplikasi JMO."
        replied = await client.post(url, data={"csrf": csrf, "action": "reply", "text": answer})
        assert replied.status_code == 303
        shown = await client.get(url)
        assert answer in shown.text and 'id="save-faq"' in shown.text
        saved = await client.post(
            url, data={"csrf": csrf, "action": "faq", "examples": "kartu bpjs hilang"}
        )
        assert saved.status_code == 303 and "?faq=" in saved.headers["location"]
        closed = await client.post(url, data={"csrf": csrf, "action": "close"})
        assert closed.status_code == 303
        again = await client.post(url, data={"csrf": csrf, "action": "reply", "text": "lagi"})
        assert again.status_code == 409
        forged = await client.post(url, data={"csrf": "x", "action": "close"})
        assert forged.status_code == 403
    ticket = await store.tickets.get(number)
    assert ticket is not None and ticket.status == "closed"
    queued = await store.ticket_relays.states(number)
    assert sum(queued.values()) == 1  # the answer, queued for the user's channel
    [faq] = await store.faqs.active()
    assert faq.answer_id == answer and "tiket #" in faq.source
    actions = [e.action for e in await store.audit.recent(30)]
    for action in ("ticket.claim", "ticket.answer", "ticket.close", "dashboard.faq.from_ticket"):
        assert action in actions
