"""Numbers, money, percentages and dates formatted with Babel for the user's locale."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_time
from babel.numbers import format_compact_decimal, format_currency, format_decimal

# Indonesian number style for both languages: English speakers here read "Rp 16.800" too.
_BABEL_LOCALES = {"id": "id_ID", "en": "en_ID"}
_COMPACT_FROM = Decimal(1_000_000)


@lru_cache(maxsize=4096)
def _money(amount: Decimal, babel_locale: str) -> str:
    # Answers repeat the same few amounts (rates, bands, caps): Babel's formatting is the
    # costliest step of rendering them, so results are memoized (a few hundred bytes each).
    return format_currency(
        amount, "IDR", format="¤ #,##0", locale=babel_locale, currency_digits=False
    )


@lru_cache(maxsize=4096)
def _number(value: Decimal, babel_locale: str) -> str:
    return format_decimal(value, "#,##0.##", locale=babel_locale)


@lru_cache(maxsize=32)
def _babel_locale(locale: str) -> str:
    """A language added by its catalogues only (jv): its Indonesian variant, when CLDR has one."""
    try:
        Locale.parse(f"{locale}_ID")
    except (UnknownLocaleError, ValueError):
        return "id_ID"
    return f"{locale}_ID"


class Formatter:
    def __init__(self, locale: str):
        self.locale = locale
        self._babel = _BABEL_LOCALES.get(locale) or _babel_locale(locale)

    def money(self, amount: Decimal | int) -> str:
        """Whole rupiah: `Rp 16.800`."""
        return _money(Decimal(amount), self._babel)

    def money_short(self, amount: Decimal | int) -> str:
        """Large sums in words: `Rp 4,3 miliar`, `Rp 42 juta`; small sums as `money`."""
        value = Decimal(amount)
        if abs(value) < _COMPACT_FROM:
            return self.money(value)
        compact = format_compact_decimal(
            value, format_type="long", locale=self._babel, fraction_digits=1
        )
        return f"Rp {compact}"

    def percent(self, value: Decimal | float) -> str:
        """A percentage given in percent units: 68.02 → `68,02 %`, 0.24 → `0,24 %`."""
        return f"{_number(Decimal(str(value)), self._babel)} %"

    def number(self, value: Decimal | int) -> str:
        return _number(Decimal(value), self._babel)

    def date(self, value: dt.date) -> str:
        return format_date(value, "long", locale=self._babel)

    def short_date(self, value: dt.date) -> str:
        """ "30 Sep 2026": chart labels."""
        return format_date(value, "d MMM y", locale=self._babel)

    def month_year(self, value: dt.date) -> str:
        return format_date(value, "MMMM y", locale=self._babel)

    def clock(self, value: Decimal) -> str:
        """A time of day stored as `HH.MM` (15.30 → `15.30`), in the locale's 24-hour style."""
        hours = int(value)
        minutes = int((value - hours) * 100)
        return format_time(dt.time(hours, minutes), "HH.mm", locale=self._babel)
