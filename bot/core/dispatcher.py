"""The core loop for one message: guard → understand → route → reply, for every channel."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import weakref
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.config import Settings
from bot.core.answering import answer_all, language_note, message_translator
from bot.core.context import MAIN_MENU, HandlerContext
from bot.core.formatting import Formatter
from bot.core.guard import MAX_COMMAND_CHARS, InputProblem, clean_text, input_problem
from bot.core.handover import REPLY, follow_up
from bot.core.i18n import DEFAULT_LOCALE, Catalogues, Translator, normalize_locale
from bot.core.metrics import Metrics
from bot.core.payload import BadPayload, decode, encode
from bot.core.refine import Refiner
from bot.core.routing import Router, merge_routers
from bot.domain.facts import FactMissing
from bot.domain.intents import NOT_FOLLOWED, Intent
from bot.domain.messages import Button, ChatRef, Incoming, Reply
from bot.domain.roles import Role
from bot.domain.understanding import Understander, Understanding
from bot.logs import redact
from bot.regions.model import level_of_code
from bot.store import Arrival, ConversationState, Store, User

log = logging.getLogger(__name__)

# A file sent to the bot goes to the command of this name (caption as its arguments).
DOCUMENT_COMMAND = "document"

# Messages never added to an open ticket: the request itself, privacy requests, thanks, hello.
_NOT_FOLLOW_UP = frozenset({Intent.HUMAN_AGENT, Intent.PRIVACY, Intent.THANKS, Intent.GREETING})


@dataclass(frozen=True, slots=True)
class Outcome:
    """The replies to one message, and how it was understood (None when it never got that far)."""

    replies: list[Reply]
    understanding: Understanding | None = None
    locale: str | None = None  # the language the replies are in


class Turn:
    """What a channel may do while it holds a person's turn (`Dispatcher.turn`)."""

    __slots__ = ("_dispatcher",)

    def __init__(self, dispatcher: Dispatcher):
        self._dispatcher = dispatcher

    async def process(self, msg: Incoming, *, record: bool = True) -> Outcome:
        """Answer `msg`, whose sender's turn this is."""
        return await self._dispatcher._observed(msg, record=record)


class Dispatcher:
    """Channel-agnostic: adapters pass an `Incoming` and send back the `Reply` list."""

    def __init__(
        self,
        *,
        store: Store,
        understander: Understander,
        catalogues: Catalogues,
        routers: Iterable[Router],
        admins: Iterable[str] = (),
        timezone: str = "Asia/Jakarta",
        max_message_chars: int = 5000,
        default_locale: str = DEFAULT_LOCALE,
        metrics: Metrics | None = None,
        settings: Settings | None = None,
    ):
        self.store = store
        self.settings = settings or Settings()
        self.understander = understander
        self.catalogues = catalogues
        self._intents, self._commands = merge_routers(routers)
        if Intent.FALLBACK not in self._intents:
            raise ValueError("a fallback handler is required")
        self._admins = frozenset(admins)
        self._tz = ZoneInfo(timezone)
        self._max_chars = max_message_chars
        self._default_locale = normalize_locale(default_locale) or DEFAULT_LOCALE
        self.metrics = metrics or Metrics()  # served at /metrics (bot/ops)
        self._refiner = Refiner(store.faqs)  # privacy requests, staff FAQs (bot/ops)
        self._locks: weakref.WeakValueDictionary[tuple[str, str], asyncio.Lock] = (
            weakref.WeakValueDictionary()
        )

    def today(self) -> date:
        return datetime.now(self._tz).date()

    @property
    def command_names(self) -> frozenset[str]:
        """The slash commands the routers define (a group's bare `/ban` is another bot's)."""
        return frozenset(self._commands)

    async def handle(self, msg: Incoming) -> list[Reply]:
        """Answer one message. Never raises: a crash becomes a logged, localized apology."""
        return (await self.process(msg)).replies

    async def process(self, msg: Incoming, *, record: bool = True) -> Outcome:
        """`handle` with the understanding; `record=False` is a fresh, unlogged chat (eval)."""
        async with self.turn(msg.chat) as turn:
            return await turn.process(msg, record=record)

    @contextlib.asynccontextmanager
    async def turn(self, chat: ChatRef) -> AsyncIterator[Turn]:
        """A person's turn: one message at a time per person, held until the channel has
        delivered the replies, so a later answer never overtakes an earlier one.

        Channels hold the turn across reading, answering and sending:
        `async with dispatcher.turn(chat) as turn: outcome = await turn.process(msg)`.
        """
        key = (chat.channel, chat.user_id)
        lock = self._locks.get(key)
        if lock is None:
            lock = self._locks[key] = asyncio.Lock()
        async with lock, self.store.person_turn(chat.channel, chat.user_id):
            yield Turn(self)

    async def _observed(self, msg: Incoming, *, record: bool) -> Outcome:
        started = time.perf_counter()
        outcome = await self._process(msg, record=record)
        if record:
            understanding = outcome.understanding
            self.metrics.observe_message(
                channel=msg.chat.channel,
                user_id=msg.chat.user_id,
                intent=understanding.intent.value if understanding else None,
                answered=None
                if understanding is None
                else understanding.intent is not Intent.FALLBACK and not understanding.clarify,
                replies=len(outcome.replies),
                seconds=time.perf_counter() - started,
            )
        return outcome

    async def _process(self, msg: Incoming, *, record: bool) -> Outcome:
        """Inside the person's turn (`turn`): answer, never raise."""
        locale = self._default_locale
        try:
            arrival = await self.store.arrive(msg.chat.channel, msg.chat.user_id)
            locale = self.locale_of(arrival.user, msg)
            outcome = await self._handle(msg, arrival, locale, record=record)
            return Outcome(outcome.replies, outcome.understanding, outcome.locale or locale)
        except Exception:
            log.exception("message failed channel=%s", msg.chat.channel)
            apology = Reply(text=self.catalogues.translator(locale)("error.apology"))
            return Outcome([apology], locale=locale)

    async def role_of(self, user: User) -> Role:
        if self._is_admin(user):
            return Role.ADMIN
        return await self.store.roles.role_of(user.id)

    def _is_admin(self, user: User) -> bool:
        """Admins come from configuration (JAMSOS_ADMINS), not from granted roles."""
        return user.address in self._admins

    def accepts_documents(self, role: Role) -> bool:
        """Whether a file from someone with this role goes to the `document` command.

        Channels ask before downloading a file; others get the polite "please type".
        """
        document = self._commands.get(DOCUMENT_COMMAND)
        return document is not None and role in document.roles

    def locale_of(self, user: User, msg: Incoming) -> str:
        """The user's choice, else their app's language (Telegram sends it), else the default."""
        return self._locale(user.locale, msg.platform_locale)

    def _locale(self, chosen: str | None, platform_locale: str | None) -> str:
        return chosen or normalize_locale(platform_locale) or self._default_locale

    async def translator_for(
        self, channel: str, external_id: str, platform_locale: str | None = None
    ) -> Translator:
        """The catalogue a person gets, by the same rule as answers (channel notices use it)."""
        user = await self.store.people.find(channel, external_id)
        return self.catalogues.translator(
            self._locale(user.locale if user else None, platform_locale)
        )

    def translator(self, locale: str | None) -> Translator:
        """The catalogue of `locale`, or of the configured default language."""
        return self.catalogues.translator(locale or self._default_locale)

    async def _handle(
        self, msg: Incoming, arrival: Arrival, locale: str, *, record: bool
    ) -> Outcome:
        t = self.catalogues.translator(locale)
        user = arrival.user
        previous = _previous(arrival.conversation) if record else None
        role = Role.ADMIN if self._is_admin(user) else arrival.role
        text = clean_text(msg.text)
        if msg.unsupported is not None:
            return Outcome([Reply(text=t("input.unsupported"), buttons=self._menu(t))])
        if msg.attachment is not None:
            # Files are staff uploads (imports): the `document` command, for its roles only.
            document = self._commands.get(DOCUMENT_COMMAND)
            if document is None or not self.accepts_documents(role):
                return Outcome([Reply(text=t("input.unsupported"), buttons=self._menu(t))])
            return Outcome(await document.handler(msg, self._command_context(user, role, t), text))
        if msg.payload is not None and msg.payload.startswith("/"):
            # A button that runs a command (staff preview: Send / Cancel), role-checked as typed.
            replies = await self._command(msg, user, role, msg.payload, t)
            stale = [Reply(text=t("input.stale_button"), buttons=self._menu(t))]
            return Outcome(replies if replies is not None else stale)
        if msg.payload is not None:
            try:
                intent, slots = decode(msg.payload)
            except BadPayload:
                return Outcome([Reply(text=t("input.stale_button"), buttons=self._menu(t))])
            understanding = Understanding(intent=intent, score=1.0, slots=slots)
            logged_text = text or msg.payload
        else:
            command = text.startswith("/")
            problem = input_problem(text, MAX_COMMAND_CHARS if command else self._max_chars)
            if problem is not None:
                return Outcome([Reply(text=t(problem.value))])
            command_replies = await self._command(msg, user, role, text, t)
            if command_replies is not None:
                return Outcome(command_replies)
            if msg.reply_to is not None:
                # A platform reply may answer a ticket (handlers/handover.py): the `balas`
                # command decides, and answers nothing when the message was no ticket's.
                ticket_replies = await self._command(msg, user, role, f"/{REPLY} {text}", t)
                if ticket_replies:
                    return Outcome(ticket_replies)
            if len(text) > self._max_chars:  # a long "/..." that is no command of this user
                return Outcome([Reply(text=t(InputProblem.TOO_LONG.value))])
            words = self._words_of(text)
            understanding = self.understander.understand(
                words, previous=previous, today=self.today()
            )
            understanding = await self._refiner.refine(words, understanding)
            logged_text = text
            t = message_translator(self.catalogues, t, user.locale, understanding)

        ctx = HandlerContext(
            store=self.store,
            user=user,
            role=role,
            understanding=understanding,
            previous=previous,
            t=t,
            fmt=Formatter(t.locale),
            today=self.today(),
            settings=self.settings,
        )
        if understanding.clarify:
            replies = [self._clarify(ctx)]
        else:  # every question of the message, settings and odd amounts confirmed first
            replies = await answer_all(msg, ctx, self._intents, typed=msg.payload is None)
            replies += language_note(ctx, locale)
        answered = understanding.intent is not Intent.FALLBACK and not understanding.clarify
        if record and msg.payload is None and understanding.intent not in _NOT_FOLLOW_UP:
            staff_t = self.translator(self.settings.default_locale)
            ticket = await follow_up(self.store, self.settings, staff_t, user.id, redact(text))
            if ticket is not None and not answered:  # the bot cannot help: staff will
                replies = [Reply(text=t("handover.follow_up_added", id=ticket.id))]
        if not record or understanding.intent is Intent.PRIVACY:  # privacy requests: no log
            return Outcome(replies, understanding, t.locale)
        await self.store.questions.log(
            user_id=user.id,
            channel=msg.chat.channel,
            text=redact(logged_text),  # no phone, NIK or KPJ number is kept (H8)
            intent=understanding.intent.value,
            score=understanding.score,
            answered=answered,
            region_code=_named_region(understanding),
        )
        if answered and understanding.intent not in NOT_FOLLOWED:
            await self.store.conversations.save(
                user.id,
                understanding.intent.value,
                encode(understanding.intent, understanding.slots),
            )
        return Outcome(replies, understanding, t.locale)

    async def _command(
        self, msg: Incoming, user: User, role: Role, text: str, t: Translator
    ) -> list[Reply] | None:
        """Run a slash command if this user's role allows it; None sends the text on to NLU."""
        if not text.startswith("/"):
            return None
        name, _, args = text[1:].partition(" ")
        command = self._commands.get(name.lower().split("@")[0])
        if command is None or role not in command.roles:
            return None
        ctx = self._command_context(user, role, t)
        try:
            return await command.handler(msg, ctx, args.strip())
        except FactMissing:
            return ctx.unknown_reply()

    def _words_of(self, text: str) -> str:
        """What understanding reads: a command this person may not run (`/umumkan_batal 5`
        typed by a subscriber) counts by its arguments only, so its name never acts as
        words ("batal": stop the subscription)."""
        name, _, args = text[1:].partition(" ") if text.startswith("/") else ("", "", "")
        if name and name.lower().split("@")[0] in self._commands:
            return args.strip()
        return text

    def _command_context(self, user: User, role: Role, t: Translator) -> HandlerContext:
        return HandlerContext(
            store=self.store,
            user=user,
            role=role,
            understanding=Understanding(intent=Intent.HELP, score=1.0),
            previous=None,
            t=t,
            fmt=Formatter(t.locale),
            today=self.today(),
            settings=self.settings,
        )

    def _clarify(self, ctx: HandlerContext) -> Reply:
        options = ctx.understanding.clarify
        labels = [ctx.t(f"button.{intent.value}") for intent in options]
        if len(labels) == 2:
            text = ctx.t("clarify.two", first=labels[0], second=labels[1])
        else:
            text = ctx.t("clarify.many")
        buttons = tuple(ctx.button(intent, ctx.slots) for intent in options)
        return Reply(text=text, buttons=buttons)

    def _menu(self, t: Translator) -> tuple[Button, ...]:
        return tuple(
            Button(title=t(f"button.{intent.value}"), payload=intent.value) for intent in MAIN_MENU
        )


def _previous(state: ConversationState | None) -> Understanding | None:
    """What the last answered question was about, for a follow-up."""
    if state is None:
        return None
    try:
        intent, slots = decode(state.slots or state.intent)
    except BadPayload:
        return None
    return Understanding(intent=intent, score=1.0, slots=slots)


def _named_region(understanding: Understanding) -> str | None:
    """The region code a question named (village first), for the staff statistics."""
    slots = understanding.slots
    return next((c for c in (slots.village, slots.region) if c and level_of_code(c)), None)
