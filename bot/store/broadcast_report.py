"""A broadcast's report, read from its outbox rows and from what WhatsApp said afterwards.

"Sent" is what the platform accepted, less the WhatsApp messages Meta later reported as
failed (status webhooks, `whatsapp_outgoing`): those count as failed, with Meta's code.
"Possibly sent twice" counts rows delivered after an attempt whose answer was lost (a
timeout, a dropped connection, a crash while the request was out).
"""

from __future__ import annotations

from bot.store.broadcast_models import Broadcast, BroadcastReport
from bot.store.database import Database

WHATSAPP_FAILED = "whatsapp status failed"


async def read_report(db: Database, broadcast: Broadcast) -> BroadcastReport:
    rows = await db.fetch_all(
        "SELECT channel, state, COUNT(*) AS n,"
        " SUM(possible_duplicate = 1 AND state = 'sent') AS dup, SUM(via_template) AS tpl,"
        " SUM(state = 'pending' AND first_failed_at != '') AS retrying"
        " FROM outbox WHERE broadcast_id = ? GROUP BY channel, state",
        (broadcast.id,),
    )
    states: dict[str, int] = {}
    per_channel: dict[str, dict[str, int]] = {}
    duplicates = templates = retrying = 0
    for row in rows:
        states[row["state"]] = states.get(row["state"], 0) + row["n"]
        per_channel.setdefault(row["channel"], {})[row["state"]] = row["n"]
        duplicates += row["dup"] or 0
        templates += row["tpl"] or 0
        retrying += row["retrying"] or 0
    failures: dict[str, int] = {}
    for row in await db.fetch_all(
        "SELECT last_error, COUNT(*) AS n FROM outbox WHERE broadcast_id = ?"
        " AND state IN ('failed', 'blocked', 'skipped') GROUP BY last_error",
        (broadcast.id,),
    ):
        failures[row["last_error"] or "unknown"] = row["n"]
    for row in await db.fetch_all(
        "SELECT w.error_code, COUNT(*) AS n, SUM(o.possible_duplicate) AS dup"
        " FROM outbox o JOIN whatsapp_outgoing w ON w.wamid = o.platform_message_id"
        " WHERE o.broadcast_id = ? AND o.channel = 'whatsapp' AND o.state = 'sent'"
        " AND w.status = 'failed' GROUP BY w.error_code",
        (broadcast.id,),
    ):
        moved = int(row["n"])
        states["sent"] -= moved
        states["failed"] = states.get("failed", 0) + moved
        channel = per_channel["whatsapp"]
        channel["sent"] -= moved
        channel["failed"] = channel.get("failed", 0) + moved
        duplicates -= row["dup"] or 0
        code = row["error_code"]
        reason = f"{WHATSAPP_FAILED}: code {code}" if code is not None else WHATSAPP_FAILED
        failures[reason] = failures.get(reason, 0) + moved
    for counts in (states, *per_channel.values()):
        for state in [state for state, n in counts.items() if n == 0]:
            del counts[state]
    return BroadcastReport(
        broadcast=broadcast,
        states=states,
        per_channel=per_channel,
        failures=sorted(failures.items(), key=lambda item: (-item[1], item[0])),
        possible_duplicates=duplicates,
        via_template=templates,
        waiting_retry=retrying,
    )
