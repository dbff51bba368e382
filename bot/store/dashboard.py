"""Staff dashboard: one-time login links, sessions, and the dashboard's signing secret.

Tokens and session ids are random (`secrets`); only their SHA-256 digests are stored. A link
is redeemed at most once (the update that marks it used is the check). Sessions end on logout,
after the idle timeout, or when the person loses the staff role (checked by the web layer on
every request).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum

from bot.store.database import Database

_SECRET_KEY = "dashboard.secret"  # noqa: S105 (a meta key, not a secret)


class LinkRefusal(StrEnum):
    UNKNOWN = "unknown"
    USED = "used"
    EXPIRED = "expired"


@dataclass(frozen=True, slots=True, kw_only=True)
class DashboardSession:
    user_id: int
    channel: str
    external_id: str
    csrf: str
    created_at: datetime
    last_seen_at: datetime

    @property
    def address(self) -> str:
        return f"{self.channel}:{self.external_id}"


def digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


class DashboardRepository:
    def __init__(self, db: Database):
        self._db = db

    async def secret(self) -> str:
        """The key that signs session cookies: made once, kept in the database."""
        row = await self._db.fetch_one("SELECT value FROM meta WHERE key = ?", (_SECRET_KEY,))
        if row is not None:
            return str(row["value"])
        await self._db.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING",
            (_SECRET_KEY, secrets.token_urlsafe(32)),
        )
        row = await self._db.fetch_one("SELECT value FROM meta WHERE key = ?", (_SECRET_KEY,))
        if row is None:
            raise RuntimeError("the dashboard secret could not be stored")
        return str(row["value"])

    async def issue_link(
        self, user_id: int, *, issued_by: str, ttl: timedelta, now: datetime | None = None
    ) -> str:
        """A new one-time token for `user_id`, valid for `ttl` (the raw token, never stored)."""
        now = now or datetime.now(UTC)
        token = secrets.token_urlsafe(24)
        await self._db.execute(
            "INSERT INTO dashboard_links (token_hash, user_id, issued_by, created_at, expires_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (digest(token), user_id, issued_by, _iso(now), _iso(now + ttl)),
        )
        return token

    async def redeem_link(self, token: str, now: datetime | None = None) -> int | LinkRefusal:
        """The user id the link opens (marking it used), or why it opens nothing."""
        now = now or datetime.now(UTC)
        async with self._db.transaction() as tx:
            row = await tx.fetch_one(
                "SELECT id, user_id, expires_at, used_at FROM dashboard_links"
                " WHERE token_hash = ?",
                (digest(token),),
            )
            if row is None:
                return LinkRefusal.UNKNOWN
            if row["used_at"] is not None:
                return LinkRefusal.USED
            if datetime.fromisoformat(row["expires_at"]) <= now:
                return LinkRefusal.EXPIRED
            changed = await tx.execute(
                "UPDATE dashboard_links SET used_at = ? WHERE id = ? AND used_at IS NULL",
                (_iso(now), row["id"]),
            )
            if not changed:
                return LinkRefusal.USED
            return int(row["user_id"])

    async def open_session(self, user_id: int, now: datetime | None = None) -> tuple[str, str]:
        """A new session: (session id for the cookie, CSRF token for the forms)."""
        now = now or datetime.now(UTC)
        session_id, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(24)
        await self._db.execute(
            "INSERT INTO dashboard_sessions (session_hash, user_id, csrf, created_at,"
            " last_seen_at) VALUES (?, ?, ?, ?, ?)",
            (digest(session_id), user_id, csrf, _iso(now), _iso(now)),
        )
        return session_id, csrf

    async def session(
        self, session_id: str, *, idle: timedelta, now: datetime | None = None
    ) -> DashboardSession | None:
        """The live session (its idle clock restarted), or None when ended or idle too long."""
        now = now or datetime.now(UTC)
        row = await self._db.fetch_one(
            "SELECT s.id, s.user_id, s.csrf, s.created_at, s.last_seen_at, u.channel,"
            " u.external_id FROM dashboard_sessions s JOIN users u ON u.id = s.user_id"
            " WHERE s.session_hash = ? AND s.ended_at IS NULL",
            (digest(session_id),),
        )
        if row is None:
            return None
        last_seen = datetime.fromisoformat(row["last_seen_at"])
        if last_seen + idle <= now:
            await self._db.execute(
                "UPDATE dashboard_sessions SET ended_at = ? WHERE id = ?", (_iso(now), row["id"])
            )
            return None
        await self._db.execute(
            "UPDATE dashboard_sessions SET last_seen_at = ? WHERE id = ?", (_iso(now), row["id"])
        )
        return DashboardSession(
            user_id=row["user_id"],
            channel=row["channel"],
            external_id=row["external_id"],
            csrf=row["csrf"],
            created_at=datetime.fromisoformat(row["created_at"]),
            last_seen_at=now,
        )

    async def end_session(self, session_id: str, now: datetime | None = None) -> bool:
        changed = await self._db.execute(
            "UPDATE dashboard_sessions SET ended_at = ? WHERE session_hash = ?"
            " AND ended_at IS NULL",
            (_iso(now or datetime.now(UTC)), digest(session_id)),
        )
        return changed > 0

    async def end_sessions_of(self, user_id: int, now: datetime | None = None) -> int:
        return await self._db.execute(
            "UPDATE dashboard_sessions SET ended_at = ? WHERE user_id = ? AND ended_at IS NULL",
            (_iso(now or datetime.now(UTC)), user_id),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class TargetArea:
    regency_code: str
    year: int
    villages: int


@dataclass(frozen=True, slots=True, kw_only=True)
class DayCount:
    day: str  # ISO date (UTC)
    total: int
    unanswered: int

    @property
    def date(self) -> date:
        return date.fromisoformat(self.day)


class DashboardViews:
    """Read-only queries only the dashboard needs (audit filters, daily series, areas)."""

    def __init__(self, db: Database):
        self._db = db

    async def audit(
        self, *, action: str = "", actor: str = "", limit: int = 200
    ) -> list[tuple[int, str, str, str, int | None, str, datetime]]:
        """Audit entries, newest first: action prefix and actor substring filters."""
        rows = await self._db.fetch_all(
            "SELECT id, actor, action, subject, recipients, detail, created_at FROM audit_log"
            " WHERE action LIKE ? AND instr(actor, ?) > 0 ORDER BY id DESC LIMIT ?",
            (f"{action}%", actor, limit),
        )
        return [
            (
                int(r["id"]),
                str(r["actor"]),
                str(r["action"]),
                str(r["subject"]),
                r["recipients"],
                str(r["detail"]),
                datetime.fromisoformat(r["created_at"]),
            )
            for r in rows
        ]

    async def audit_actions(self) -> list[str]:
        rows = await self._db.fetch_all("SELECT DISTINCT action FROM audit_log ORDER BY action")
        return [str(r["action"]) for r in rows]

    async def daily_questions(self, since: datetime) -> list[DayCount]:
        rows = await self._db.fetch_all(
            "SELECT substr(created_at, 1, 10) AS day, count(*) AS n,"
            " coalesce(sum(answered = 0), 0) AS unanswered FROM questions"
            " WHERE created_at >= ? GROUP BY day ORDER BY day",
            (since.astimezone(UTC).isoformat(),),
        )
        return [DayCount(day=r["day"], total=r["n"], unanswered=r["unanswered"]) for r in rows]

    async def unanswered_between(self, since: datetime, until: datetime) -> list[str]:
        rows = await self._db.fetch_all(
            "SELECT text FROM questions WHERE answered = 0 AND created_at >= ?"
            " AND created_at < ? ORDER BY created_at DESC, id DESC LIMIT 2000",
            (since.astimezone(UTC).isoformat(), until.astimezone(UTC).isoformat()),
        )
        return [str(r["text"]) for r in rows]

    async def target_areas(self) -> list[TargetArea]:
        """Regencies with imported village targets per year: newest year, most villages first."""
        rows = await self._db.fetch_all(
            "SELECT regency_code, year, count(DISTINCT village_code) AS n FROM village_targets"
            " GROUP BY regency_code, year ORDER BY year DESC, n DESC, regency_code"
        )
        return [TargetArea(regency_code=r[0], year=r[1], villages=r[2]) for r in rows]

    async def previous_registered(self, regency_code: str, year: int) -> dict[str, int]:
        """Per village, the registered count of the import before its latest one."""
        rows = await self._db.fetch_all(
            "SELECT village_code, registered FROM (SELECT village_code, registered,"
            " row_number() OVER (PARTITION BY village_code ORDER BY as_of DESC) AS n"
            " FROM village_targets WHERE regency_code = ? AND year = ?) WHERE n = 2",
            (regency_code, year),
        )
        return {str(r[0]): int(r[1]) for r in rows}

    async def failed_recipients(self, broadcast_id: int) -> list[tuple[str, str, str, int, str]]:
        """(channel, chat id, state, attempts, last error) of undelivered recipients."""
        rows = await self._db.fetch_all(
            "SELECT channel, chat_id, state, attempts, last_error FROM outbox"
            " WHERE broadcast_id = ? AND state IN ('failed', 'blocked', 'skipped')"
            " ORDER BY channel, id",
            (broadcast_id,),
        )
        return [(r[0], r[1], r[2], int(r[3]), r[4]) for r in rows]
