"""Routers: intent id or staff command → handler. Each topic module in handlers/ owns one."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.domain.intents import Intent
from bot.domain.messages import Incoming, Reply
from bot.domain.roles import Role

if TYPE_CHECKING:
    from bot.core.context import HandlerContext

Handler = Callable[[Incoming, "HandlerContext"], Awaitable[list[Reply]]]
CommandHandler = Callable[[Incoming, "HandlerContext", str], Awaitable[list[Reply]]]


@dataclass(frozen=True, slots=True)
class Command:
    name: str
    roles: frozenset[Role]
    handler: CommandHandler


class Router:
    """A named group of handlers (aiogram-style), registered with decorators."""

    def __init__(self, name: str):
        self.name = name
        self._intents: dict[Intent, Handler] = {}
        self._commands: dict[str, Command] = {}

    def intent(self, *intents: Intent) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            for intent in intents:
                if intent in self._intents:
                    raise ValueError(f"{self.name}: intent {intent} registered twice")
                self._intents[intent] = handler
            return handler

        return register

    def command(
        self, *names: str, roles: Iterable[Role]
    ) -> Callable[[CommandHandler], CommandHandler]:
        """A slash command for the given roles only; others get the normal answer instead."""
        allowed = frozenset(roles)

        def register(handler: CommandHandler) -> CommandHandler:
            for name in names:
                if name in self._commands:
                    raise ValueError(f"{self.name}: command {name} registered twice")
                self._commands[name] = Command(name, allowed, handler)
            return handler

        return register

    @property
    def intents(self) -> Mapping[Intent, Handler]:
        return self._intents

    @property
    def commands(self) -> Mapping[str, Command]:
        return self._commands


def merge_routers(routers: Iterable[Router]) -> tuple[dict[Intent, Handler], dict[str, Command]]:
    """One table of intents and one of commands; a duplicate across routers is an error."""
    intents: dict[Intent, Handler] = {}
    commands: dict[str, Command] = {}
    for router in routers:
        for intent, handler in router.intents.items():
            if intent in intents:
                raise ValueError(f"intent {intent} is handled by two routers")
            intents[intent] = handler
        for name, command in router.commands.items():
            if name in commands:
                raise ValueError(f"command {name} is handled by two routers")
            commands[name] = command
    return intents, commands
