from __future__ import annotations

from bot.domain.roles import Role
from bot.store import Store

SUTERA = "61.11.01.2001"
PELAPIS = "61.11.01.2002"


async def test_link_is_unverified_until_staff_confirm(store: Store) -> None:
    user = await store.people.touch("whatsapp", "62811")
    link = await store.village_heads.link(user.id, SUTERA)
    assert not link.verified
    assert [p.user_id for p in await store.village_heads.pending()] == [user.id]
    assert not await store.village_heads.verify(user.id, PELAPIS, "staff:1")
    assert await store.village_heads.verify(user.id, SUTERA, "staff:1")
    link_after = await store.village_heads.get(user.id)
    assert link_after is not None and link_after.verified
    assert link_after.verified_by == "staff:1"
    assert await store.village_heads.pending() == []
    assert await store.roles.role_of(user.id) is Role.VILLAGE_HEAD


async def test_moving_to_another_village_needs_a_new_check(store: Store) -> None:
    user = await store.people.touch("whatsapp", "62811")
    await store.village_heads.link(user.id, SUTERA)
    await store.village_heads.verify(user.id, SUTERA, "staff:1")
    same = await store.village_heads.link(user.id, SUTERA)
    assert same.verified
    moved = await store.village_heads.link(user.id, PELAPIS)
    assert not moved.verified and moved.village_code == PELAPIS


async def test_verifying_staff_keeps_their_role(store: Store) -> None:
    user = await store.people.touch("telegram", "7")
    await store.roles.grant(user.id, Role.STAFF, granted_by="admin")
    await store.village_heads.link(user.id, SUTERA)
    assert await store.village_heads.verify(user.id, SUTERA, "admin")
    assert await store.roles.role_of(user.id) is Role.STAFF


async def test_deleting_the_user_deletes_the_link(store: Store) -> None:
    user = await store.people.touch("whatsapp", "62811")
    await store.village_heads.link(user.id, SUTERA)
    await store._db.execute("DELETE FROM users WHERE id = ?", (user.id,))
    assert await store.village_heads.get(user.id) is None
