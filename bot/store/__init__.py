"""Store facade: the only store API handlers see (no SQL or SQLite types leak out)."""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from pathlib import Path

from bot.regions.model import Region
from bot.store.audit import AuditRepository
from bot.store.broadcasts import BroadcastRepository
from bot.store.conversations import ConversationRepository, read_state
from bot.store.coverage import CoverageRecord, CoverageRepository
from bot.store.dashboard import DashboardRepository, DashboardViews
from bot.store.database import (
    Database,
    DatabaseMissing,
    DatabaseOutdated,
    SyncWriter,
    check_schema,
)
from bot.store.engines import open_database
from bot.store.facts import FactRepository
from bot.store.faqs import FaqRepository
from bot.store.meta import MetaRepository
from bot.store.models import Arrival, ConversationState, Fact, Question, Unknown, User
from bot.store.outbox import OutboxRepository
from bot.store.pacing import PacingRepository
from bot.store.people import PeopleRepository, touch_user
from bot.store.privacy import PrivacyRepository
from bot.store.questions import QuestionRepository
from bot.store.regional_seed import seed_coverage, seed_regions
from bot.store.regions import RegionRepository
from bot.store.roles import RoleRepository, read_role
from bot.store.seeding import seed_facts
from bot.store.statistics import StatisticsRepository
from bot.store.targets import TargetRepository
from bot.store.telegram import TelegramRepository
from bot.store.texts import TextRepository
from bot.store.ticket_relays import RelayRepository
from bot.store.tickets import TicketRepository
from bot.store.villages import VillageHeadRepository
from bot.store.whatsapp import WhatsAppRepository

__all__ = [
    "Arrival",
    "ConversationState",
    "CoverageRecord",
    "DatabaseMissing",
    "DatabaseOutdated",
    "Fact",
    "Question",
    "Region",
    "Store",
    "Unknown",
    "User",
]


class Store:
    """One object per database, grouping typed repositories by topic."""

    def __init__(self, db: Database):
        self._db = db
        self.meta = MetaRepository(db)
        self.facts = FactRepository(db)
        self.people = PeopleRepository(db)
        self.conversations = ConversationRepository(db)
        self.questions = QuestionRepository(db)
        self.roles = RoleRepository(db)
        self.telegram = TelegramRepository(db)  # update dedupe, long button payloads (H5)
        self.audit = AuditRepository(db)
        self.broadcasts = BroadcastRepository(db)  # drafts, audience, lifecycle, reports
        self.outbox = OutboxRepository(db)  # the sender's side of broadcasts (H7)
        self.faqs = FaqRepository(db)  # answers staff add at run time (H8)
        self.texts = TextRepository(db)  # FAQ answers and announcement texts per language
        self.privacy = PrivacyRepository(db)  # /datasaya, /hapusdata, log retention (H8)
        self.statistics = StatisticsRepository(db)  # staff statistics, metrics (H8)
        self.regions = RegionRepository(db)  # gazetteer (H4a)
        self.coverage = CoverageRepository(db)  # coverage per region and year (H4a)
        self.targets = TargetRepository(db)  # village targets and their history (H4b)
        self.village_heads = VillageHeadRepository(db)  # village-head links (H4b)
        self.whatsapp = WhatsAppRepository(db)  # contacts, handled ids, statuses (H6)
        self.dashboard = DashboardRepository(db)  # dashboard links and sessions (issue 19)
        self.dashboard_views = DashboardViews(db)  # dashboard-only read queries (issue 19)
        self.tickets = TicketRepository(db)  # handover to staff (issue 16)
        self.ticket_relays = RelayRepository(db)  # staff notifications, answers to users
        self.pacing = PacingRepository(db)  # platform caps shared by workers (PostgreSQL)

    @classmethod
    async def open(
        cls,
        target: Path | str,
        *,
        seed: bool = True,
        read_only: bool = False,
        any_schema: bool = False,
        files: Path | None = None,
        pool_size: int = 8,
    ) -> Store:
        """Open (creating if needed), migrate, load shipped data and warm the caches.

        `target`: a SQLite file (or `sqlite:///path`) or a `postgresql://` URL; `files`: the
        data dir for files kept beside a PostgreSQL database (charts).

        `read_only`: open an existing, up-to-date database for reading only; nothing is
        created, migrated or seeded (`DatabaseMissing`, `DatabaseOutdated` otherwise;
        `any_schema` accepts an older schema, for a backup).
        """
        db = await open_database(target, files=files, pool_size=pool_size, read_only=read_only)
        store = cls(db)
        try:
            if read_only:
                await check_schema(db, any_schema=any_schema)
            else:
                await db.migrate()
            if seed and not read_only:
                await store.seed()
            await store.facts.load()
        except BaseException:
            await db.close()
            raise
        return store

    async def arrive(self, channel: str, external_id: str) -> Arrival:
        """A message came in: the user seen now, their role and remembered conversation,
        in one trip to the database (three statements of a write job)."""

        def read(tx: SyncWriter) -> Arrival:
            user = touch_user(tx, channel, external_id)
            return Arrival(
                user=user, role=read_role(tx, user.id), conversation=read_state(tx, user.id)
            )

        return await self._db.write(read)

    def person_turn(self, channel: str, user_id: str) -> AbstractAsyncContextManager[None]:
        """Held while one person's message is answered, across every worker on the database
        (PostgreSQL: an advisory lock; SQLite, one process: nothing to add). The dispatcher
        takes it after its own per-person lock."""
        return self._db.person_lock(f"{channel}:{user_id}")

    def singleton(self, name: str) -> AbstractAsyncContextManager[bool]:
        """True in the one process that runs job `name` now (housekeeping, say)."""
        return self._db.singleton(name)

    @property
    def path(self) -> Path:
        return self._db.path

    @property
    def database(self) -> Database:
        """The engine under the repositories: for cross-process locks, `db copy`, checks."""
        return self._db

    async def migrate(self) -> list[str]:
        return await self._db.migrate()

    async def schema_version(self) -> int:
        return await self._db.schema_version()

    async def seed(self) -> list[str]:
        """Load every shipped data set that changed; returns the names of those loaded."""
        loaded = []
        if await seed_facts(self.facts, self.meta):
            loaded.append("facts")
        if await seed_regions(self.regions, self.meta):
            loaded.append("regions")
        if await seed_coverage(self.coverage, self.meta):
            loaded.append("coverage")
        return loaded

    async def backup(self, target: Path) -> None:
        await self._db.backup(target)

    async def close(self) -> None:
        await self._db.close()
