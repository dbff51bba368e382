"""People: identity per channel, language, reachability and subscriptions."""

from __future__ import annotations

from bot.domain.roles import Role
from bot.store import Store


async def test_a_person_is_the_same_user_on_every_message(store: Store) -> None:
    first = await store.people.touch("whatsapp", "6281200000001")
    again = await store.people.touch("whatsapp", "6281200000001")
    other_channel = await store.people.touch("telegram", "6281200000001")
    assert first.id == again.id
    assert other_channel.id != first.id
    assert again.last_seen_at >= first.last_seen_at


async def test_language_choice_is_stored(store: Store) -> None:
    user = await store.people.touch("telegram", "7")
    await store.people.set_locale(user.id, "en")
    found = await store.people.find("telegram", "7")
    assert found is not None and found.locale == "en"


async def test_unreachable_user_is_reactivated_when_they_write_again(store: Store) -> None:
    user = await store.people.touch("telegram", "8")
    await store.people.set_active(user.id, False)
    inactive = await store.people.get(user.id)
    assert inactive is not None and not inactive.active
    back = await store.people.touch("telegram", "8")
    assert back.active


async def test_subscriptions_are_opt_in_and_stop_ends_them_all(store: Store) -> None:
    user = await store.people.touch("telegram", "9")
    assert await store.people.subscriptions(user.id) == []
    assert await store.people.subscribe(user.id) is True
    assert await store.people.subscribe(user.id) is False  # already subscribed
    assert await store.people.subscribe(user.id, "61.04") is True
    assert await store.people.subscriptions(user.id) == [None, "61.04"]
    assert await store.people.unsubscribe(user.id) == 2
    assert await store.people.subscriptions(user.id) == []


async def test_arriving_records_the_visit_and_brings_role_and_conversation(store: Store) -> None:
    first = await store.arrive("whatsapp", "628111")
    assert first.user.external_id == "628111"
    assert first.role is Role.WORKER and first.conversation is None

    await store.roles.grant(first.user.id, Role.STAFF, granted_by="cli:test")
    await store.conversations.save(first.user.id, "jht_claim", "jht_claim")
    again = await store.arrive("whatsapp", "628111")

    assert again.user.id == first.user.id
    assert again.user.last_seen_at >= first.user.last_seen_at
    assert again.role is Role.STAFF
    assert again.conversation is not None and again.conversation.intent == "jht_claim"
