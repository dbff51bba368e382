"""FAQ answers staff add at run time, with their source and example phrasings."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from bot.store.database import Database, Writer

_VERSION_KEY = "faq.version"


@dataclass(frozen=True, slots=True, kw_only=True)
class Faq:
    id: int
    question: str
    answer_id: str
    answer_en: str
    source: str
    examples: tuple[str, ...]
    created_at: datetime
    # Every language's answer (rows of faq_answers, migration 0095): id, en, jv, ...
    answers: Mapping[str, str] = field(default_factory=dict)

    def answer(self, locale: str) -> str:
        """The answer in `locale`, Indonesian when none was given in that language."""
        if self.answers:
            return self.answers.get(locale) or self.answers.get("id") or self.answer_id
        return self.answer_en if locale == "en" and self.answer_en else self.answer_id


class FaqRepository:
    def __init__(self, db: Database):
        self._db = db

    async def add(
        self,
        *,
        question: str,
        answer_id: str,
        source: str,
        examples: Sequence[str],
        answer_en: str = "",
        added_via: str = "cli",
        translations: Mapping[str, str] | None = None,
    ) -> int:
        """Store one FAQ (the question itself counts as an example); returns its id."""
        phrasings = [p.strip() for p in (question, *examples) if p.strip()]
        unique = list(dict.fromkeys(phrasings))
        now = datetime.now(UTC).isoformat()
        async with self._db.transaction() as tx:
            faq_id = await tx.insert(
                "INSERT INTO faqs (question, answer_id, answer_en, source, added_via, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (
                    question.strip(),
                    answer_id.strip(),
                    answer_en.strip(),
                    source.strip(),
                    added_via,
                    now,
                ),
            )
            await tx.executemany(
                "INSERT INTO faq_examples (faq_id, text) VALUES (?, ?)",
                [(faq_id, text) for text in unique],
            )
            # Other languages (jv, ...): rows beside the id/en ones the trigger wrote.
            await tx.executemany(
                "INSERT INTO faq_answers (faq_id, locale, text) VALUES (?, ?, ?)"
                " ON CONFLICT (faq_id, locale) DO UPDATE SET text = excluded.text",
                [
                    (faq_id, locale.strip().lower(), text.strip())
                    for locale, text in (translations or {}).items()
                    if text.strip()
                ],
            )
            await _bump_version(tx)
        return faq_id

    async def remove(self, faq_id: int) -> bool:
        """Retire an FAQ (kept for the record, no longer matched)."""
        async with self._db.transaction() as tx:
            changed = await tx.execute(
                "UPDATE faqs SET active = 0 WHERE id = ? AND active = 1", (faq_id,)
            )
            if changed:
                await _bump_version(tx)
        return changed > 0

    async def get(self, faq_id: int) -> Faq | None:
        found = await self._select("WHERE f.id = ? AND f.active = 1", (faq_id,))
        return found[0] if found else None

    async def active(self) -> list[Faq]:
        return await self._select("WHERE f.active = 1", ())

    async def version(self) -> str:
        """Changes whenever an FAQ is added or retired (by any process on this database)."""
        row = await self._db.fetch_one("SELECT value FROM meta WHERE key = ?", (_VERSION_KEY,))
        return str(row["value"]) if row else ""

    async def _select(self, where: str, params: tuple[int, ...] | tuple[()]) -> list[Faq]:
        rows = await self._db.fetch_all(
            "SELECT f.id, f.question, f.answer_id, f.answer_en, f.source, f.created_at,"
            " e.text AS example FROM faqs AS f LEFT JOIN faq_examples AS e ON e.faq_id = f.id"
            f" {where} ORDER BY f.id, e.id",
            params,
        )
        faqs: dict[int, Faq] = {}
        examples: dict[int, list[str]] = {}
        for row in rows:
            faq_id = int(row["id"])
            if faq_id not in faqs:
                faqs[faq_id] = Faq(
                    id=faq_id,
                    question=row["question"],
                    answer_id=row["answer_id"],
                    answer_en=row["answer_en"],
                    source=row["source"],
                    examples=(),
                    created_at=datetime.fromisoformat(row["created_at"]),
                )
                examples[faq_id] = []
            if row["example"] is not None:
                examples[faq_id].append(row["example"])
        answers: dict[int, dict[str, str]] = {}
        if faqs:
            marks = ",".join("?" * len(faqs))
            for row in await self._db.fetch_all(
                f"SELECT faq_id, locale, text FROM faq_answers WHERE faq_id IN ({marks})",
                tuple(faqs),
            ):
                answers.setdefault(int(row["faq_id"]), {})[row["locale"]] = row["text"]
        return [
            replace(faq, examples=tuple(examples[faq.id]), answers=answers.get(faq.id, {}))
            for faq in faqs.values()
        ]


async def _bump_version(tx: Writer) -> None:
    await tx.execute(
        "INSERT INTO meta (key, value) VALUES (?, '1')"
        " ON CONFLICT (key) DO UPDATE SET value = CAST(meta.value AS INTEGER) + 1",
        (_VERSION_KEY,),
    )
