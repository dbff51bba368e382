"""`facts check [--max-age-days N]`: facts staff should re-verify (exit status 1 if any).

Due: a rule whose validity ended with nothing after it, and a rule in force that is uncertain
or read only in secondary sources. With `--max-age-days` (or JAMSOS_FACT_MAX_AGE_DAYS set),
also every rule in force for longer than that.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.commands.common import cli_text, help_text, open_store
from bot.config import Settings
from bot.ops.facts import check_facts


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("facts", help=help_text("cli.help.facts.1"))
    facts_sub = parser.add_subparsers(dest="facts_command", required=True)
    check = facts_sub.add_parser(
        "check",
        help=help_text("cli.help.facts.2"),
    )
    check.add_argument(
        "--max-age-days",
        type=int,
        help=help_text("cli.help.facts.3"),
    )
    check.add_argument("--json", action="store_true", help=help_text("cli.help.facts.4"))
    check.set_defaults(func=_check)


async def _check(args: argparse.Namespace, settings: Settings) -> int:
    max_age = args.max_age_days
    if max_age is None and "fact_max_age_days" in settings.model_fields_set:
        max_age = settings.fact_max_age_days  # set explicitly in the environment
    say = cli_text(settings.default_locale)
    if max_age is not None and max_age < 1:
        print(say("cli.facts.bad_max_age"), file=sys.stderr)
        return 2
    today = datetime.now(ZoneInfo(settings.timezone)).date()
    async with open_store(settings, read_only=True) as store:
        issues = check_facts(store.facts.all(), today=today, max_age_days=max_age)
    for issue in issues:
        fact = issue.fact
        if args.json:
            document = {
                "problem": issue.problem.value,
                "key": fact.key,
                "valid_from": fact.valid_from.isoformat(),
                "valid_to": fact.valid_to.isoformat() if fact.valid_to else None,
                "age_days": issue.age_days,
                "status": fact.status,
                "source": fact.source,
            }
            print(json.dumps(document, ensure_ascii=False))
        else:
            until = fact.valid_to.isoformat() if fact.valid_to else say("cli.facts.open")
            line = say(
                "cli.facts.issue",
                problem=f"{issue.problem.value:<9}",
                key=fact.key,
                valid_from=fact.valid_from.isoformat(),
                until=until,
                age=issue.age_days,
                status=fact.status,
                source=fact.source,
            )
            print(line)
    if not args.json:
        by_source = Counter(issue.fact.source for issue in issues)
        if by_source:
            print()
            print(say("cli.facts.by_source"))
            for source, count in by_source.most_common():
                print(f"  {count:>4}  {source}")
        key = "cli.facts.summary" if max_age is not None else "cli.facts.summary_due"
        summary = say.plural(key, len(issues), count=len(issues), today=today, max_age=max_age)
        print(summary)
    return 1 if issues else 0
