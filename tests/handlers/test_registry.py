"""Every intent of the spec has exactly one handler, found by discovery in handlers/."""

from __future__ import annotations

from bot.core.routing import merge_routers
from bot.domain.intents import Intent
from bot.domain.roles import Role
from handlers import ROUTERS


def test_every_intent_is_answered_by_some_topic() -> None:
    intents, _ = merge_routers(ROUTERS)  # raises when two topics claim one intent
    unanswered = [intent.value for intent in Intent if intent not in intents]
    assert not unanswered


def test_worker_commands_are_open_to_everyone_and_staff_commands_are_not() -> None:
    _, commands = merge_routers(ROUTERS)
    assert Role.WORKER in commands["desa"].roles
    assert Role.WORKER in commands["hapusdata"].roles
    for staff_only in ("umumkan", "statistik", "verifikasi", "staf_tambah", "document"):
        assert Role.WORKER not in commands[staff_only].roles, staff_only
    assert Role.STAFF not in commands["staf_tambah"].roles  # admins grant staff
