"""Roles: who may use staff commands. Checked in the core, never in a channel adapter."""

from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    STAFF = "staff"
    VILLAGE_HEAD = "village_head"
    WORKER = "worker"


STAFF_ROLES = frozenset({Role.ADMIN, Role.STAFF})
