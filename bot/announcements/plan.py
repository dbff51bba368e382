"""The preview of a draft: rendered message, recipients per channel, duration, problems."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.announcements.compose import ComposeError, Draft
from bot.announcements.config import BroadcastConfig
from bot.announcements.preflight import Problem, preflight
from bot.announcements.render import announcement_reply
from bot.core.i18n import SUPPORTED, Translator
from bot.domain.messages import Reply
from bot.store import Store
from bot.store.broadcasts import PLATFORM_CHANNELS, AudienceCount


@dataclass(frozen=True, slots=True, kw_only=True)
class Plan:
    draft: Draft
    count: AudienceCount
    seconds: float  # expected sending time at the configured rates (channels run in parallel)
    replies: dict[str, Reply]  # rendered message per language
    problems: list[Problem]
    unreachable: int  # WhatsApp recipients outside the 24-hour window with no template set
    region_name: str | None

    @property
    def ok(self) -> bool:
        return not self.problems


def expected_seconds(count: AudienceCount, config: BroadcastConfig) -> float:
    return max(
        (n / config.rate(channel) for channel, n in count.per_channel.items() if n),
        default=0.0,
    )


async def make_plan(
    store: Store, draft: Draft, config: BroadcastConfig, t: Translator, now: datetime
) -> Plan:
    """Raises ComposeError when the target region does not exist."""
    region_name = None
    if draft.audience.region_code:
        region = await store.regions.get(draft.audience.region_code)
        if region is None:
            raise ComposeError("staff.compose.unknown_region", value=draft.audience.region_code)
        region_name = region.name
    count = await store.broadcasts.count_audience(draft.audience, now)
    locales = [draft.audience.language] if draft.audience.language else list(SUPPORTED)
    replies = {
        locale: announcement_reply(draft.text_id, draft.text_en, locale, t) for locale in locales
    }
    problems = preflight(
        replies,
        PLATFORM_CHANNELS,  # both, always: a scheduled audience may change before sending
        template_needed=count.whatsapp_outside_window > 0,
        template_name=config.template_name,
        template_max_chars=config.template_max_chars,
    )
    return Plan(
        draft=draft,
        count=count,
        seconds=expected_seconds(count, config),
        replies=replies,
        problems=problems,
        unreachable=0 if config.template_name else count.whatsapp_outside_window,
        region_name=region_name,
    )
