"""Training data augmentation: typing slips, and each example inside framing and a story.

Used by `IntentModel` while training (`bot.nlu.model`); never on the per-message path.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence

from bot.domain.intents import Intent


def typos(tokens: Sequence[str], rng: random.Random) -> list[str]:
    """A copy with typing slips in some longer words (robustness of the char n-grams)."""
    out = []
    for word in tokens:
        if len(word) > 4 and rng.random() < 0.35:
            i = rng.randrange(1, len(word) - 1)
            kind = rng.randrange(3)
            if kind == 0:
                word = word[:i] + word[i + 1 :]
            elif kind == 1:
                word = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
            else:
                word = word[:i] + word[i] + word[i:]
        out.append(word)
    return out


# Readings that are never learned inside a story: a greeting is one on its own, and a setting
# changes only on a short request.
_ALONE = frozenset(
    {Intent.GREETING, Intent.THANKS, Intent.HELP, Intent.SUBSCRIBE, Intent.UNSUBSCRIBE}
    | {Intent.LANGUAGE}
)


def in_context(
    pairs: Sequence[tuple[str, Intent]], context: Mapping[str, Sequence[str]]
) -> list[tuple[str, Intent]]:
    """Each example once more as people write it: inside framing and a sentence of story
    ("selamat pagi min, saya sudah tanya hrd tapi belum jelas. <question> terima kasih").

    Teaches the classifier that greetings, thanks and the story around a question say
    nothing about its topic (long messages are otherwise read as the framing or as nothing).
    """
    openings = [str(x) for x in context.get("openings", ())]
    stories = [str(x) for x in context.get("stories", ())]
    closings = [str(x) for x in context.get("closings", ())]
    if not (openings and stories and closings):
        return []
    rng = random.Random(17)  # noqa: S311 - reproducible training data, not security
    out = []
    for text, intent in pairs:
        if intent in _ALONE:
            continue
        story = rng.choice(stories)
        question = f"{story}. {text}" if rng.random() < 0.5 else f"{text}. {story}"
        out.append((f"{rng.choice(openings)} {question} {rng.choice(closings)}", intent))
        # and a longer one: two sentences of story before the question
        first, second = rng.sample(stories, 2)
        out.append((f"{rng.choice(openings)} {first}. {second}. {text}", intent))
    return out
