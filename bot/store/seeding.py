"""Load the data shipped in bot/store/seed/ into a database, once per version of the files."""

from __future__ import annotations

import asyncio
import csv
import hashlib
import io
from importlib import resources

from bot.store.facts import FactRepository, fact_from_mapping
from bot.store.meta import MetaRepository
from bot.store.models import Fact

FACTS_FILE = "facts.csv"


def read_seed_file(name: str) -> bytes:
    return (resources.files("bot.store") / "seed" / name).read_bytes()


def parse_facts(raw: bytes) -> list[Fact]:
    """Parse the facts CSV; a bad row raises ValueError naming its line."""
    reader = csv.DictReader(io.StringIO(raw.decode("utf-8")))
    facts = []
    for line, row in enumerate(reader, start=2):
        try:
            facts.append(fact_from_mapping(row))
        except (KeyError, ValueError, ArithmeticError) as exc:
            raise ValueError(f"{FACTS_FILE} line {line}: {exc}") from exc
    return facts


async def seed_facts(facts: FactRepository, meta: MetaRepository) -> bool:
    """Replace the shipped facts when the file changed; True if anything was loaded."""
    raw = await asyncio.to_thread(read_seed_file, FACTS_FILE)
    digest = hashlib.sha256(raw).hexdigest()
    if await meta.get("seed.facts.sha256") == digest:
        return False
    await facts.replace_origin("seed", parse_facts(raw))
    await meta.set("seed.facts.sha256", digest)
    return True
