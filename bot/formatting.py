"""Numbers, money, percentages and dates formatted with Babel for the user's locale."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from babel.dates import format_date
from babel.numbers import format_compact_decimal, format_currency, format_decimal

# Indonesian number style for both languages: English speakers here read "Rp 16.800" too.
_BABEL_LOCALES = {"id": "id_ID", "en": "en_ID"}
_COMPACT_FROM = Decimal(1_000_000)


class Formatter:
    def __init__(self, locale: str):
        self.locale = locale
        self._babel = _BABEL_LOCALES.get(locale, "id_ID")

    def money(self, amount: Decimal | int) -> str:
        """Whole rupiah: `Rp 16.800`."""
        return format_currency(
            Decimal(amount), "IDR", format="¤ #,##0", locale=self._babel, currency_digits=False
        )

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
        return f"{format_decimal(Decimal(str(value)), '#,##0.##', locale=self._babel)} %"

    def number(self, value: Decimal | int) -> str:
        return format_decimal(value, "#,##0.##", locale=self._babel)

    def date(self, value: dt.date) -> str:
        return format_date(value, "long", locale=self._babel)

    def month_year(self, value: dt.date) -> str:
        return format_date(value, "MMMM y", locale=self._babel)
