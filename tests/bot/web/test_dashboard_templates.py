"""Every message key a dashboard template uses exists in both catalogues; templates parse."""

from __future__ import annotations

import re
from pathlib import Path

import jinja2

from bot.core.i18n import SUPPORTED, Catalogues
from bot.web.dashboard.site import NAV, environment

TEMPLATES = Path(__file__).resolve().parents[3] / "bot" / "web" / "dashboard" / "templates"
KEY_USE = re.compile(r"""\bt\(\s*["']([a-z0-9_]+(?:\.[a-z0-9_]+)+)["']""")
# Keys built from a value in a template: the prefix and every value it can take.
BUILT = {
    "dashboard.role.": ("admin", "staff", "village_head", "worker"),
    "dashboard.state.": (
        "sent",
        "pending",
        "in_flight",
        "failed",
        "blocked",
        "skipped",
        "cancelled",
    ),
    "dashboard.villages.col.": (
        "code",
        "name",
        "district",
        "target",
        "registered",
        "remaining",
        "percent",
        "rank",
        "change",
        "as_of",
        "source",
    ),
    "dashboard.facts.problem_": ("ended", "old", "uncertain"),
    "dashboard.refused.link_": ("unknown", "used", "expired"),
    "dashboard.announcements.csv.": ("channel", "recipient", "state", "attempts", "reason"),
    "staff.status.": ("draft", "scheduled", "sending", "done", "cancelled"),
    "dashboard.ticket.": ("open", "claimed", "answered", "closed"),
    "dashboard.inbox.author_": ("user", "staff", "context"),
}


def test_every_template_key_exists_in_both_languages() -> None:
    catalogues = Catalogues.load()
    used = {key for path in TEMPLATES.glob("*.html") for key in KEY_USE.findall(path.read_text())}
    used -= set(BUILT)  # `t("dashboard.facts.problem_" ~ value)`: checked below, per value
    used |= {key for _, key, _ in NAV}
    used |= {prefix + value for prefix, values in BUILT.items() for value in values}
    assert len(used) > 100
    for locale in SUPPORTED:
        missing = sorted(key for key in used if key not in catalogues.keys(locale))
        assert not missing, f"{locale}: {missing}"


def test_every_template_compiles() -> None:
    env = environment()
    names = env.list_templates()
    assert "base.html" in names and len(names) >= 12
    for name in names:
        assert isinstance(env.get_template(name), jinja2.Template)
