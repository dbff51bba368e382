"""SQL dialects: the store's SQL is written for SQLite; this module turns it into PostgreSQL.

Repositories write one SQL text, in SQLite's dialect with `?` or `:name` parameters. For
PostgreSQL (psycopg, client-side binding) `translate` rewrites, once per distinct text:

- parameters: `?` → `%s`, `:name` → `%(name)s`, a literal `%` → `%%`;
- `INSERT OR IGNORE INTO …` → `INSERT INTO … ON CONFLICT DO NOTHING`;
- `a IS NOT b` / `a IS b` (b not NULL/TRUE/FALSE) → `IS DISTINCT FROM` / `IS NOT DISTINCT FROM`;
- the two-argument scalar `max(a, b)` / `min(a, b)` → `GREATEST` / `LEAST`.

`sum(<condition>)` works on both: PostgreSQL gets a `sum(boolean)` aggregate and a
`sha256_hex(text)` function from `POSTGRES_PRELUDE`. Migrations (`translate_ddl`): `INTEGER` →
`BIGINT` (an `INTEGER PRIMARY KEY` is an identity column, like SQLite's row id), `REAL` →
`DOUBLE PRECISION`, `WITHOUT ROWID` dropped. What cannot be translated (a trigger) lives in
`migrations/postgresql/<same file name>`, which replaces the translation.
"""

from __future__ import annotations

import re
from functools import lru_cache

POSTGRES_PRELUDE = """
CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);
INSERT INTO schema_version (version) SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM schema_version);
CREATE OR REPLACE FUNCTION jamsos_sum_bool(bigint, boolean) RETURNS bigint
    LANGUAGE sql IMMUTABLE AS 'SELECT $1 + CASE WHEN $2 THEN 1 ELSE 0 END';
DO $$ BEGIN
    CREATE AGGREGATE sum(boolean) (SFUNC = jamsos_sum_bool, STYPE = bigint, INITCOND = '0');
EXCEPTION WHEN duplicate_function THEN NULL;
END $$;
CREATE OR REPLACE FUNCTION sha256_hex(text) RETURNS text LANGUAGE sql IMMUTABLE STRICT
    AS 'SELECT encode(sha256(convert_to($1, ''UTF8'')), ''hex'')';
"""

_OR_IGNORE = re.compile(r"\bINSERT\s+OR\s+IGNORE\s+INTO\b", re.IGNORECASE)
_RETURNING = re.compile(r"\sRETURNING\s", re.IGNORECASE)
_IS_NOT = re.compile(r"\bIS\s+NOT\s+(?!NULL\b|TRUE\b|FALSE\b|DISTINCT\b)", re.IGNORECASE)
_IS = re.compile(r"\bIS\s+(?!NOT\b|NULL\b|TRUE\b|FALSE\b|DISTINCT\b)", re.IGNORECASE)
_MAX_MIN = re.compile(r"\b(MAX|MIN)\s*\(", re.IGNORECASE)
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@lru_cache(maxsize=4096)
def translate(sql: str) -> str:
    """SQLite-flavoured statement → PostgreSQL statement for psycopg's `%s` parameters."""
    text = _OR_IGNORE.sub("INSERT INTO", sql)
    if text != sql:
        text = _append_on_conflict(text)
    text = _IS_NOT.sub("IS DISTINCT FROM ", text)
    text = _IS.sub("IS NOT DISTINCT FROM ", text)
    text = _scalar_extrema(text)
    return _placeholders(text)


def _append_on_conflict(text: str) -> str:
    body = text.rstrip().rstrip(";")
    match = _RETURNING.search(body)
    if match:
        return f"{body[: match.start()]} ON CONFLICT DO NOTHING{body[match.start() :]}"
    return f"{body} ON CONFLICT DO NOTHING"


def _scalar_extrema(text: str) -> str:
    """max(a, b) → GREATEST(a, b); the one-argument aggregate stays."""
    out: list[str] = []
    pos = 0
    for match in _MAX_MIN.finditer(text):
        depth, i, comma = 1, match.end(), False
        while i < len(text) and depth:
            char = text[i]
            if char == "(":
                depth += 1
            elif char == ")":
                depth -= 1
            elif char == "," and depth == 1:
                comma = True
            i += 1
        if comma:
            name = "GREATEST" if match.group(1).upper() == "MAX" else "LEAST"
            out.append(text[pos : match.start()] + name + "(")
            pos = match.end()
    out.append(text[pos:])
    return "".join(out)


def _placeholders(text: str) -> str:
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char in "'\"":  # a literal or a quoted name: copied, `%` doubled
            end = i + 1
            while end < n:
                if text[end] == char:
                    if end + 1 < n and text[end + 1] == char:
                        end += 2
                        continue
                    break
                end += 1
            out.append(text[i : end + 1].replace("%", "%%"))
            i = end + 1
        elif char == "-" and text.startswith("--", i):
            end = text.find("\n", i)
            end = n if end < 0 else end
            out.append(text[i:end].replace("%", "%%"))
            i = end
        elif char == "?":
            out.append("%s")
            i += 1
        elif char == ":" and i + 1 < n and text[i + 1] != ":" and (i == 0 or text[i - 1] != ":"):
            name = _NAME.match(text, i + 1)
            if name:
                out.append(f"%({name.group()})s")
                i = name.end()
            else:
                out.append(char)
                i += 1
        elif char == "%":
            out.append("%%")
            i += 1
        else:
            out.append(char)
            i += 1
    return "".join(out)


_INTEGER_KEY = re.compile(r"\bINTEGER\s+PRIMARY\s+KEY\b", re.IGNORECASE)
_INTEGER = re.compile(r"\bINTEGER\b", re.IGNORECASE)
_REAL = re.compile(r"\bREAL\b", re.IGNORECASE)
_WITHOUT_ROWID = re.compile(r"\)\s*WITHOUT\s+ROWID\s*;", re.IGNORECASE)


def translate_ddl(script: str) -> str:
    """A SQLite migration script → PostgreSQL (run as one script, no parameters)."""
    text = _INTEGER_KEY.sub("BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY", script)
    text = _INTEGER.sub("BIGINT", text)
    text = _REAL.sub("DOUBLE PRECISION", text)
    return _WITHOUT_ROWID.sub(");", text)
