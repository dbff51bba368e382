"""Staff send a spreadsheet to the bot: caption "impor target" or "impor cakupan".

The file is checked completely; when every row is valid it is stored at once (the same
file again changes nothing, so a resend is harmless). "cek" in the caption only checks.
"""

from __future__ import annotations

import re

from bot.core.context import HandlerContext
from bot.core.dispatcher import DOCUMENT_COMMAND
from bot.core.routing import Router
from bot.domain.messages import Incoming, Reply
from bot.domain.roles import STAFF_ROLES
from bot.imports.reading import MAX_BYTES
from bot.imports.rendering import render_report
from bot.imports.runner import KindName, import_file

router = Router("imports")
CHAT_PROBLEM_LIMIT = 10
_KIND_WORDS: dict[str, KindName] = {
    "target": "targets",
    "targets": "targets",
    "cakupan": "coverage",
    "coverage": "coverage",
}
_CHECK_WORDS = frozenset({"cek", "periksa", "uji", "check", "dry", "test"})
_WORD = re.compile(r"[a-z]+")
_IMPORT_WORDS = frozenset({"impor", "import", "unggah", "upload", "cek", "periksa"})


def read_caption(caption: str) -> tuple[KindName | None, bool]:
    """ "impor target" → ("targets", False); "cek cakupan" → ("coverage", True)."""
    words = _WORD.findall(caption.lower())
    kind = next((_KIND_WORDS[w] for w in words if w in _KIND_WORDS), None)
    return kind, any(w in _CHECK_WORDS for w in words)


def is_import_request(text: str) -> bool:
    """ "impor target", "/impor cakupan": staff asking to import, without a file."""
    words = _WORD.findall(text.lower())
    return bool(words) and words[0] in _IMPORT_WORDS and read_caption(text)[0] is not None


def how_to_send(ctx: HandlerContext) -> Reply:
    """How to send a spreadsheet: as a file with a caption, and the size limit."""
    limit = ctx.fmt.number(MAX_BYTES // (1024 * 1024))
    return Reply(text=ctx.t("imports.chat.no_file", limit_mb=limit))


@router.command("impor", "import", roles=STAFF_ROLES)
async def import_without_file(msg: Incoming, ctx: HandlerContext, args: str) -> list[Reply]:
    """`/impor target` typed without a file: how to send one."""
    return [how_to_send(ctx)]


@router.command(DOCUMENT_COMMAND, roles=STAFF_ROLES)
async def document(msg: Incoming, ctx: HandlerContext, args: str) -> list[Reply]:
    attachment = msg.attachment
    kind, check_only = read_caption(args)
    if attachment is None:
        return [how_to_send(ctx)]
    if kind is None:
        return [Reply(text=ctx.t("imports.chat.usage"))]
    report = await import_file(
        ctx.store,
        kind,
        attachment.path,
        today=ctx.today,
        dry_run=check_only,
        filename=attachment.filename,
        actor=ctx.user.address,
    )
    return [Reply(text=render_report(report, ctx.t, ctx.fmt, limit=CHAT_PROBLEM_LIMIT))]
