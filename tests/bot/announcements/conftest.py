"""An in-process channel for the outbox's own tests (the outbox makes no HTTP request itself;
end-to-end tests over real HTTP with the real channels live in test_end_to_end.py)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field

import pytest
from starlette.routing import BaseRoute

from bot.announcements.config import BroadcastConfig
from bot.announcements.worker import OutboxWorker
from bot.app import App
from bot.core.delivery import DeliveryFailed, about_to_send
from bot.domain.messages import ChatRef, Reply
from bot.store import Store, User

Hook = Callable[[ChatRef, int], Awaitable[None]]


@dataclass
class RecordingChannel:
    """Implements the Channel protocol; records deliveries, can fail or run a hook per send."""

    name: str
    delivered: list[tuple[str, str]] = field(default_factory=list)  # (chat id, text)
    templates: list[tuple[str, str, str, tuple[str, ...]]] = field(default_factory=list)
    failures: dict[str, list[DeliveryFailed]] = field(default_factory=dict)  # chat id → queue
    hook: Hook | None = None
    hang_after: int | None = None  # deliveries after this many never return (a stuck request)
    calls: int = 0

    def routes(self) -> Sequence[BaseRoute]:
        return ()

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    async def _call(self, chat: ChatRef) -> None:
        await about_to_send()  # as the real channels do, right before the request goes out
        self.calls += 1
        if self.hook is not None:
            await self.hook(chat, self.calls)
        if self.hang_after is not None and self.calls > self.hang_after:
            await asyncio.Event().wait()
        queue = self.failures.get(chat.chat_id)
        if queue:
            raise queue.pop(0)

    async def deliver(self, chat: ChatRef, replies: Sequence[Reply], *, bulk: bool = False) -> str:
        assert bulk, "announcements must be sent as bulk traffic"
        await self._call(chat)
        for reply in replies:
            self.delivered.append((chat.chat_id, reply.text))
        return f"m{len(self.delivered)}"

    def chats(self) -> list[str]:
        return [chat for chat, _ in self.delivered]


@dataclass
class TemplateChannel(RecordingChannel):
    async def send_template(
        self, chat: ChatRef, name: str, language_code: str, parameters: Sequence[str]
    ) -> str:
        await self._call(chat)
        self.templates.append((chat.chat_id, name, language_code, tuple(parameters)))
        return f"t{len(self.templates)}"


FAST = BroadcastConfig(
    rates={"telegram": 10_000.0, "whatsapp": 10_000.0},
    window=4,
    retry_seconds=0.3,
    poll_seconds=0.01,
    backoff_seconds=0.001,
    backoff_max_seconds=0.05,
    template_name="pengumuman_umum",
)


def make_worker(
    app: App, *channels: RecordingChannel, config: BroadcastConfig = FAST
) -> OutboxWorker:
    return OutboxWorker(app.store, channels, config, app.dispatcher.catalogues.translator("id"))


async def subscriber(
    store: Store,
    channel: str,
    external_id: str,
    region: str | None = None,
    *,
    home: str | None = None,
    locale: str | None = None,
) -> User:
    user = await store.people.touch(channel, external_id)
    await store.people.subscribe(user.id, region)
    if home:
        await store.people.set_region(user.id, home)
    if locale:
        await store.people.set_locale(user.id, locale)
    return user


@pytest.fixture
def telegram() -> RecordingChannel:
    return RecordingChannel("telegram")


@pytest.fixture
def whatsapp() -> TemplateChannel:
    return TemplateChannel("whatsapp")
