"""`db copy`: every row of one database into another (SQLite ⇄ PostgreSQL), same schema."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.store.database import Database

_BATCH = 2000


class CopyRefused(Exception):
    """The target is not an empty database at the source's schema version."""


async def _ordered(db: Database) -> list[str]:
    """Tables with the ones they reference first (every foreign key points backwards)."""
    tables = await db.tables()
    needs = {t: {ref for _, ref, _ in await db.foreign_keys(t) if ref != t} for t in tables}
    ordered: list[str] = []
    while needs:
        ready = sorted(t for t, refs in needs.items() if not refs - set(ordered))
        if not ready:
            raise CopyRefused(f"circular foreign keys among {sorted(needs)}")
        ordered.extend(ready)
        for table in ready:
            del needs[table]
    return ordered


async def count_rows(db: Database) -> dict[str, int]:
    counts = {}
    for table in await db.tables():
        row = await db.fetch_one(f'SELECT count(*) FROM "{table}"')
        counts[table] = int(row[0]) if row else 0
    return counts


async def copy_database(source: Database, target: Database) -> dict[str, int]:
    """Copy every row; returns rows copied per table. Both are migrated first by the caller;
    the target must be empty (a fresh database) and at the same schema version."""
    if await source.schema_version() != await target.schema_version():
        raise CopyRefused("source and target are at different schema versions")
    tables = await _ordered(source)
    missing = set(tables) - set(await target.tables())
    if missing:
        raise CopyRefused(f"tables missing in the target: {sorted(missing)}")
    filled = {t: n for t, n in (await count_rows(target)).items() if n}
    if filled:
        raise CopyRefused(f"the target is not empty: {filled}")
    copied: dict[str, int] = {}
    async with target.transaction() as tx:
        for table in tables:
            rows = await source.fetch_all(f'SELECT * FROM "{table}"')
            copied[table] = len(rows)
            # The target was empty: rows here now were written by a trigger on a table copied
            # before (0095: faq_answers, broadcast_texts); the source's rows are the truth.
            await tx.execute(f'DELETE FROM "{table}"')
            if not rows:
                continue
            columns = rows[0].keys()
            names = ", ".join(f'"{c}"' for c in columns)
            marks = ", ".join("?" for _ in columns)
            sql = f'INSERT INTO "{table}" ({names}) VALUES ({marks})'
            values: list[Sequence[Any]] = [tuple(row[c] for c in columns) for row in rows]
            for start in range(0, len(values), _BATCH):
                await tx.executemany(sql, values[start : start + _BATCH])
    await target.after_bulk_load()
    return copied
