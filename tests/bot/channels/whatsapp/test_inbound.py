"""Issue 17 on the WhatsApp webhook, end to end: real payload shapes and hostile bodies that
used to get the wrong answer or a 500 (which makes Meta redeliver the POST for days)."""

# ruff: noqa: F811 (the fixtures of test_channel.py are imported and used as arguments)

from __future__ import annotations

import copy
import json
from typing import Any

from bot.channels.whatsapp.webhook import StatusUpdate, WebhookBatch
from tests.bot.channels.whatsapp.test_channel import (  # noqa: F401 (fixtures)
    ID,
    WA_ID,
    Env,
    env,
    fake,
    fixture,
    start,
    status,
    text_message,
    value_of,
)

OTHER = "6289999999999"


def button_message(text: str, payload: str, wamid: str) -> dict[str, Any]:
    """A template quick reply, as Meta sends it (`type: button`, the label as payload)."""
    data = copy.deepcopy(fixture("text"))
    message = value_of(data)["messages"][0]
    del message["text"]
    message.update(
        id=wamid,
        type="button",
        button={"text": text, "payload": payload},
        context={"from": "6281100001111", "id": "wamid.TEMPLATE1"},
    )
    return data


def of_kind(kind: str, wamid: str, **content: Any) -> dict[str, Any]:
    data = copy.deepcopy(fixture("text"))
    message = value_of(data)["messages"][0]
    del message["text"]
    message.update(id=wamid, type=kind, **content)
    return data


def texts(sent: list[dict[str, Any]]) -> list[str]:
    return [
        m["interactive"]["body"]["text"] if "interactive" in m else m["text"]["body"] for m in sent
    ]


async def test_the_templates_berhenti_quick_reply_unsubscribes(env: Env) -> None:
    await env.exchange(text_message("langganan", "wamid.SUB1"))
    user_id = await env.user_id()
    assert await env.app.store.people.subscriptions(user_id) == [None]

    for payload in ("Berhenti", "STOP_ANNOUNCEMENTS"):  # label as payload, or the template's
        await env.exchange(text_message("langganan", f"wamid.SUB-{payload}"))
        sent = await env.exchange(button_message("Berhenti", payload, f"wamid.B-{payload}"))

        assert await env.app.store.people.subscriptions(user_id) == []
        assert texts(sent) == [ID("subscriptions.unsubscribed")]
        assert ID("input.stale_button") not in texts(sent)


async def test_request_welcome_gets_the_welcome(env: Env) -> None:
    sent = await env.exchange(of_kind("request_welcome", "wamid.W1"))

    assert texts(sent) == [ID("conversation.welcome")]


async def test_a_deleted_or_edited_message_is_ignored(env: Env) -> None:
    revoke = of_kind("revoke", "wamid.D1", revoke={"original_message_id": "wamid.X"})
    edit = of_kind(
        "edit",
        "wamid.E1",
        edit={
            "original_message_id": "wamid.X",
            "message": {"type": "text", "text": {"body": "iuran bpu"}},
        },
    )
    unsupported = of_kind("unsupported", "wamid.U1", errors=[{"code": 131051}])

    for payload in (revoke, edit, unsupported):
        assert await env.exchange(payload) == []


async def test_a_caption_is_not_lost_on_an_image_but_no_media_is_downloaded(env: Env) -> None:
    sent = await env.exchange(fixture("image"))

    assert sent  # the polite notice (WhatsApp images are not read)
    assert not any("/files/" in r.path for r in env.fake.requests)


async def test_a_contact_naming_another_person_is_not_merged_into_the_sender(env: Env) -> None:
    await env.exchange(fixture("text"))  # WA_ID with its BSUID, the first person
    first = await env.app.store.whatsapp.contact_of(WA_ID)
    assert first is not None and first.wa_id == WA_ID

    data = text_message("halo", "wamid.OTHER1")
    value = value_of(data)
    value["messages"][0]["from"] = OTHER  # contacts still names the first person only
    del value["messages"][0]["from_user_id"]
    sent = await env.exchange(data)

    assert [m["to"] for m in sent] == [OTHER]  # answered as themselves
    still = await env.app.store.whatsapp.contact_of(WA_ID)
    assert still is not None and (still.wa_id, still.bsuid) == (first.wa_id, first.bsuid)
    other = await env.app.store.people.find("whatsapp", OTHER)
    assert other is not None and other.id != await env.user_id()
    other_contact = await env.app.store.whatsapp.contact_of(OTHER)
    assert other_contact is not None and other_contact.bsuid is None


async def test_hostile_message_bodies_get_200_and_no_traceback(env: Env) -> None:
    surrogate = json.dumps(text_message("halo", "wamid.H1")).replace("halo", "halo \\ud83d")
    far_future = text_message("halo", "wamid.H2")
    value_of(far_future)["messages"][0]["timestamp"] = "99999999999999999999"
    arabic_digits = text_message("halo", "wamid.H3")
    value_of(arabic_digits)["messages"][0]["timestamp"] = "١٧٠٠٠٠٠٠٠٠"
    negative = text_message("halo", "wamid.H4")
    value_of(negative)["messages"][0]["timestamp"] = -5

    for payload in (surrogate.encode(), far_future, arabic_digits, negative):
        response = await env.post(payload)
        assert response.status_code == 200
    await env.channel.drain()

    assert len(env.fake.messages) == 4  # each one answered
    logged = await env.app.store.questions.unanswered(limit=10)
    assert all("\ud83d" not in q.text for q in logged)


async def test_json_nested_a_thousand_levels_is_a_bad_request_not_a_crash(env: Env) -> None:
    deep = b'{"entry": ' + b"[" * 5000 + b"]" * 5000 + b"}"

    response = await env.post(deep)

    assert response.status_code == 400


async def test_one_bad_status_does_not_lose_the_others_of_its_post(env: Env) -> None:
    await env.exchange(text_message("halo", "wamid.IN1"))  # sent wamid.OUT1
    await env.exchange(text_message("iuran bpu", "wamid.IN2"))  # sent wamid.OUT2
    await env.exchange(text_message("jht", "wamid.IN3"))  # sent wamid.OUT3
    batch = status("status_read", "wamid.OUT1")
    statuses = value_of(batch)["statuses"]
    wrong_type = copy.deepcopy(statuses[0]) | {"id": "wamid.OUT2", "status": ["read"]}
    huge_code = copy.deepcopy(fixture("status_failed"))
    failed = value_of(huge_code)["statuses"][0]
    failed.update(id="wamid.OUT3")
    failed["errors"][0]["code"] = 10**30
    statuses.extend([wrong_type, failed, copy.deepcopy(statuses[0]) | {"status": 7}])

    response = await env.post(batch)
    await env.channel.drain()

    assert response.status_code == 200
    first = await env.app.store.whatsapp.outgoing("wamid.OUT1")
    third = await env.app.store.whatsapp.outgoing("wamid.OUT3")
    assert first is not None and first.status == "read"
    assert third is not None and (third.status, third.error_code) == ("failed", None)


async def test_a_location_picked_from_the_map_is_matched_to_its_region(env: Env) -> None:
    spot = {"latitude": -7.2, "longitude": 107.9}
    named = of_kind("location", "wamid.L1", location=spot | {"address": "Jl. Ahmad Yani, Garut"})
    pin = of_kind("location", "wamid.L2", location=spot)

    answer = texts(await env.exchange(named))
    notice = texts(await env.exchange(pin))

    assert notice == [ID("input.unsupported")]
    assert answer and answer != notice
    assert "Garut" in answer[0]


async def test_a_status_the_database_refuses_does_not_lose_the_others(env: Env) -> None:
    for n in (1, 2, 3):
        await env.exchange(text_message("halo", f"wamid.IN{n}"))  # sent wamid.OUT1..3
    refused = StatusUpdate(wamid="wamid.OUT2", status="failed", error_code=10**30)  # > int64
    batch = WebhookBatch(
        [],
        [
            StatusUpdate(wamid="wamid.OUT1", status="read"),
            refused,  # built directly: the parser would have dropped this code
            StatusUpdate(wamid="wamid.OUT3", status="failed", error_code=131026),
        ],
    )

    await env.channel._inbox._record_statuses(batch)

    first = await env.app.store.whatsapp.outgoing("wamid.OUT1")
    third = await env.app.store.whatsapp.outgoing("wamid.OUT3")
    assert first is not None and first.status == "read"
    assert third is not None and (third.status, third.error_code) == ("failed", 131026)
    user = await env.app.store.people.find("whatsapp", WA_ID)
    assert user is not None and not user.active
