"""FAQ answers staff add without a deploy: the answer with its source, and `/faq` to manage them.

`/faq` lists, `/faq tambah pertanyaan | jawaban | answer (en) | sumber | contoh 1; contoh 2`
adds, `/faq hapus ID` retires. A message the classifier cannot place is matched against
every FAQ's example phrasings (bot/nlu/faq.py) and answered here.
"""

from __future__ import annotations

from bot.core.context import HandlerContext
from bot.core.routing import Router
from bot.domain.intents import Intent
from bot.domain.messages import Incoming, Reply
from bot.domain.roles import STAFF_ROLES

router = Router("faq")

_ADD = frozenset({"tambah", "add"})
_REMOVE = frozenset({"hapus", "remove"})
_FIELDS = 5  # question | answer id | answer en | source | examples


@router.intent(Intent.FAQ)
async def faq(msg: Incoming, ctx: HandlerContext) -> list[Reply]:
    option = ctx.slots.option
    found = await ctx.store.faqs.get(int(option)) if option and option.isdigit() else None
    if found is None:
        return [
            Reply(text=ctx.t("faq.gone", ask=ctx.call_centre_text()), buttons=ctx.menu_buttons())
        ]
    text = "\n\n".join((found.answer(ctx.locale), ctx.t("faq.source", source=found.source)))
    return [Reply(text=text, buttons=ctx.buttons(Intent.HELP))]


@router.command("faq", roles=STAFF_ROLES)
async def manage(msg: Incoming, ctx: HandlerContext, args: str) -> list[Reply]:
    action, _, rest = args.strip().partition(" ")
    if action.lower() in _ADD:
        return [await _add(ctx, rest)]
    if action.lower() in _REMOVE:
        if not rest.strip().isdigit():
            return [Reply(text=ctx.t("faq.usage"))]
        removed = await ctx.store.faqs.remove(int(rest))
        key = "faq.removed" if removed else "faq.not_found"
        return [Reply(text=ctx.t(key, id=rest.strip()))]
    if action:
        return [Reply(text=ctx.t("faq.usage"))]
    faqs = await ctx.store.faqs.active()
    if not faqs:
        return [Reply(text=ctx.t("faq.empty") + "\n\n" + ctx.t("faq.usage"))]
    lines = [ctx.t("faq.list")]
    lines += [
        ctx.t("faq.list_item", id=f.id, question=f.question, examples=len(f.examples))
        for f in faqs
    ]
    return [Reply(text="\n".join(lines))]


async def _add(ctx: HandlerContext, text: str) -> Reply:
    parts = [part.strip() for part in text.split("|")]
    if len(parts) != _FIELDS or not all(parts[i] for i in (0, 1, 3)):
        return Reply(text=ctx.t("faq.usage"))
    question, answer_id, answer_en, source, examples = parts
    faq_id = await ctx.store.faqs.add(
        question=question,
        answer_id=answer_id,
        answer_en=answer_en,
        source=source,
        examples=[e for e in examples.split(";") if e.strip()],
        added_via="chat",
    )
    return Reply(text=ctx.t("faq.added", id=faq_id, question=question))
