"""resolve_place: codes, names, ambiguity with buttons, the user's own region, not found."""

from __future__ import annotations

import re
from datetime import date

from bot.answers.places import _fit, resolve_place
from bot.app import App
from bot.core.context import HandlerContext
from bot.core.payload import decode
from bot.domain.intents import Intent
from bot.domain.messages import Reply
from bot.domain.understanding import Slots
from bot.store import Region
from bot.store.targets import VillageTarget
from tests.conftest import Chat, worker_context


async def context(
    app: App, slots: Slots, *, own: str | None = None, intent: Intent = Intent.COVERAGE_REGION
) -> HandlerContext:
    user = await app.store.people.touch("console", "places")
    await app.store.people.set_region(user.id, own)
    user = await app.store.people.touch("console", "places")
    return worker_context(
        app.store, user, app.dispatcher.catalogues.translator("id"), intent, slots
    )


async def test_a_code_is_taken_as_is(app: App) -> None:
    region = await resolve_place(await context(app, Slots(region="61.04")), levels=["regency"])
    assert isinstance(region, Region)
    assert (region.code, region.name) == ("61.04", "Kabupaten Ketapang")


async def test_an_unambiguous_name(app: App) -> None:
    ctx = await context(app, Slots(place="kab kayong utara"))
    region = await resolve_place(ctx, levels=["province", "regency"])
    assert isinstance(region, Region) and region.code == "61.11"


async def test_a_village_asked_at_regency_level_means_its_regency(app: App) -> None:
    ctx = await context(app, Slots(place="desa sutera"))
    region = await resolve_place(ctx, levels=["regency"])
    assert isinstance(region, Region) and region.code == "61.11"


async def test_ambiguous_name_asks_which_with_buttons(app: App) -> None:
    ctx = await context(app, Slots(place="sukadana", year=2024))
    reply = await resolve_place(ctx, levels=["district"])
    assert isinstance(reply, Reply)
    assert reply.text.startswith("Sukadana yang mana?")
    titles = [b.title for b in reply.buttons]
    assert titles == ["Sukadana (Lampung)", "Sukadana (Ciamis)", "Sukadana (Kalbar)"]
    assert all(len(title) <= 20 for title in titles)
    intent, slots = decode(reply.buttons[2].payload)
    assert intent is Intent.COVERAGE_REGION
    assert slots == Slots(region="61.11.01", year=2024)  # same question, now with the code


async def test_the_users_own_region_wins(app: App) -> None:
    ctx = await context(app, Slots(place="sukadana"), own="61.11")
    region = await resolve_place(ctx, levels=["district"])
    assert isinstance(region, Region) and region.code == "61.11.01"


async def test_kabupaten_and_kota_of_the_same_name(app: App) -> None:
    reply = await resolve_place(await context(app, Slots(place="bogor")), levels=["regency"])
    assert isinstance(reply, Reply)
    assert [b.title for b in reply.buttons] == ["Kab. Bogor", "Kota Bogor"]


async def test_many_villages_of_one_name(app: App) -> None:
    ctx = await context(app, Slots(place="desa sukadana"), intent=Intent.VILLAGE_TARGET)
    reply = await resolve_place(ctx, levels=["village"], slot="village")
    assert isinstance(reply, Reply)
    assert "22" in reply.text and "kabupaten" in reply.text
    assert len(reply.buttons) == 8
    assert len({b.title for b in reply.buttons}) == 8
    intent, slots = decode(reply.buttons[0].payload)
    assert intent is Intent.VILLAGE_TARGET and slots.village is not None
    assert slots.place is None


async def test_a_name_of_several_levels_means_the_highest(app: App) -> None:
    ctx = await context(app, Slots(place="ketapang"))
    region = await resolve_place(ctx, levels=["province", "regency", "district", "village"])
    assert isinstance(region, Region) and region.code == "61.04"  # not the villages Ketapang


async def test_a_village_code(app: App) -> None:
    ctx = await context(app, Slots(village="61.11.01.2001"), intent=Intent.VILLAGE_TARGET)
    region = await resolve_place(ctx, levels=["village"], slot="village")
    assert isinstance(region, Region) and region.name == "Sutera"


async def test_a_regency_code_for_a_village_question_asks_for_the_village(app: App) -> None:
    ctx = await context(app, Slots(region="61.11"), intent=Intent.VILLAGE_TARGET)
    reply = await resolve_place(ctx, levels=["village"])
    assert isinstance(reply, Reply) and reply.text.startswith("Desa mana?")


async def test_unknown_name_and_unknown_code(app: App) -> None:
    reply = await resolve_place(await context(app, Slots(place="atlantis")), levels=["regency"])
    assert isinstance(reply, Reply)
    assert "atlantis" in reply.text and "tidak ditemukan" in reply.text
    assert "61.04" in reply.text  # the hint shows how to type a code
    reply = await resolve_place(await context(app, Slots(region="61.99")), levels=["regency"])
    assert isinstance(reply, Reply) and "tidak ditemukan" in reply.text


async def test_nothing_named_uses_the_users_region_or_asks(app: App) -> None:
    reply = await resolve_place(await context(app, Slots()), levels=["regency"])
    assert isinstance(reply, Reply) and reply.text.startswith("Wilayah mana?")
    ctx = await context(app, Slots(), own="61.04.16.2009")  # a village in Ketapang
    region = await resolve_place(ctx, levels=["regency"])
    assert isinstance(region, Region) and region.code == "61.04"


def test_labels_fit_twenty_characters() -> None:
    assert _fit("Sukadana", "Ciamis") == "Sukadana (Ciamis)"
    assert _fit("Sukadana", "Kayong Utara") == "Sukadana (Kayong…)"
    assert _fit("Suka Bangun Dalam", "Ketapang") == "Suka Bangun Dalam"
    long = _fit("Kepulauan Karimata Raya", "")
    assert len(long) == 20 and long.endswith("…")


async def village_question(app: App, slots: Slots, *, own: str | None = None) -> Region | Reply:
    ctx = await context(app, slots, own=own, intent=Intent.VILLAGE_TARGET)
    return await resolve_place(ctx, levels=["village"], slot="village")


async def test_a_village_is_looked_for_inside_the_regency_already_named(app: App) -> None:
    # "desa saya ... kayong utara": the regency is known, its name is no village name
    reply = await village_question(app, Slots(region="61.11", place="kayong utara"))
    assert isinstance(reply, Reply)
    assert reply.text.startswith("Desa mana di Kabupaten Kayong Utara?")
    assert not reply.buttons  # never the village "Kayong Utara" in Ketapang
    found = await village_question(app, Slots(region="61.11", place="desa sutera kayong utara"))
    assert isinstance(found, Region) and found.code == "61.11.01.2001"
    reply = await village_question(
        app, Slots(region="61.11.01", place="desa sukadana kayong utara")
    )
    assert isinstance(reply, Reply) and reply.text.startswith("Desa mana di Kecamatan Sukadana?")


async def test_desa_saya_with_the_village_and_its_regency(chat: Chat) -> None:
    for text in ("desa saya sutera kayong utara", "target desa sutera kayong utara"):
        await chat.say(text)
        assert "Desa Sutera" in chat.text and "Ketapang" not in chat.text, text
    await chat.say("target desa sutra")  # the everyday spelling
    assert "Desa Sutera" in chat.text


async def test_the_hint_names_the_regency_of_a_real_candidate(app: App) -> None:
    reply = await village_question(app, Slots(place="desa sukadana"))
    assert isinstance(reply, Reply)
    hint = re.search(r'"(desa Sukadana [a-z ]+)"', reply.text)
    assert hint is not None and "kayong utara" not in reply.text
    regencies = await app.store.regions.search(hint.group(1).removeprefix("desa Sukadana "))
    region = await village_question(app, Slots(place=hint.group(1)))  # following the hint
    assert isinstance(region, Region) and region.name == "Sukadana"
    assert any(region.code.startswith(r.code + ".") for r in regencies)
    assert any(decode(b.payload)[1].village == region.code for b in reply.buttons)


async def test_many_candidates_the_users_province_then_data_first(app: App) -> None:
    # a user in Lombok (NTB): the three Sukadana villages in NTB come first
    reply = await village_question(app, Slots(place="desa sukadana"), own="52.01")
    assert isinstance(reply, Reply)
    shown = [decode(b.payload)[1].village or "" for b in reply.buttons]
    assert [code[:2] for code in shown[:3]] == ["52", "52", "52"]
    # then the places with data: a target for the one in Kalimantan Selatan
    target = VillageTarget(
        village_code="63.02.11.2011",
        year=2026,
        as_of=date(2026, 10, 1),
        target=40,
        registered=12,
        source="test",
    )
    await app.store.targets.upsert_many([target])
    reply = await village_question(app, Slots(place="desa sukadana"), own="52.01")
    assert isinstance(reply, Reply)
    shown = [decode(b.payload)[1].village or "" for b in reply.buttons]
    assert shown[3] == "63.02.11.2011" and shown[4:] == sorted(shown[4:])


async def test_labels_show_the_province_when_the_regency_does_not_fit(app: App) -> None:
    reply = await village_question(app, Slots(place="desa sukadana"))
    assert isinstance(reply, Reply)
    titles = [b.title for b in reply.buttons]
    assert len(set(titles)) == len(titles) == 8
    assert all(len(title) <= 20 for title in titles)
    assert "Sukadana (Jabar)" in titles  # Tasikmalaya does not fit; the only one in Jabar
    assert "Sukadana (Ciamis)" in titles


async def test_two_villages_of_one_name_inside_the_regency_named(app: App) -> None:
    reply = await village_question(app, Slots(region="61.04", place="desa suka damai ketapang"))
    assert isinstance(reply, Reply) and reply.text.startswith("Suka Damai yang mana?")
    chosen = [decode(b.payload)[1] for b in reply.buttons]
    assert [s.village for s in chosen] == ["61.04.04.2008", "61.04.13.2035"]
    assert len({b.title for b in reply.buttons}) == 2
