"""resolve_place: codes, names, ambiguity with buttons, the user's own region, not found."""

from __future__ import annotations

from bot.app import App
from bot.context import HandlerContext
from bot.intents import Intent
from bot.messages import Reply
from bot.nlu.understanding import Slots
from bot.payload import decode
from bot.places import _fit, resolve_place
from bot.store import Region
from tests.conftest import worker_context


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
    assert titles == ["Sukadana (Lampung…)", "Sukadana (Ciamis)", "Sukadana (Kayong…)"]
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
