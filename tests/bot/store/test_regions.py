"""The gazetteer in the store: loaded from the shipped CSVs, real Kemendagri codes."""

from __future__ import annotations

from bot.regions.model import ancestor_codes, level_of_code
from bot.store import Store


async def test_the_whole_gazetteer_is_loaded_at_first_start(store: Store) -> None:
    assert await store.regions.count() == 38 + 514 + 7285 + 83762
    assert (await store.meta.get("seed.regions.sha256")) is not None


async def test_a_second_start_skips_the_load(store: Store) -> None:
    assert "regions" not in await store.seed()


async def test_regency_and_village_by_code(store: Store) -> None:
    ketapang = await store.regions.get("61.04")
    assert ketapang is not None
    assert (ketapang.name, ketapang.level, ketapang.parent_code) == (
        "Kabupaten Ketapang",
        "regency",
        "61",
    )
    assert ketapang.short_name == "Ketapang"
    sutera = await store.regions.get("61.11.01.2001")
    assert sutera is not None
    assert (sutera.name, sutera.level, sutera.parent_code) == ("Sutera", "village", "61.11.01")
    assert await store.regions.get("61.99") is None


async def test_lineage_runs_from_the_province_down(store: Store) -> None:
    lineage = await store.regions.lineage("61.11.01.2001")
    assert [r.name for r in lineage] == [
        "Kalimantan Barat",
        "Kabupaten Kayong Utara",
        "Sukadana",
        "Sutera",
    ]
    assert await store.regions.lineage("99.99") == []


async def test_children_of_kayong_utara_are_its_six_districts(store: Store) -> None:
    names = [r.name for r in await store.regions.children("61.11")]
    districts = [
        "Sukadana",
        "Simpang Hilir",
        "Teluk Batang",
        "Pulau Maya",
        "Seponti",
        "Kepulauan Karimata",
    ]
    assert names == districts or sorted(names) == sorted(districts)


async def test_villages_under_a_regency_and_a_district(store: Store) -> None:
    kayong = await store.regions.villages_under("61.11")
    assert len(kayong) == 43
    assert all(v.code.startswith("61.11.") and v.level == "village" for v in kayong)
    ketapang = await store.regions.villages_under("61.04")
    assert len(ketapang) == 262
    delta_pawan = {v.name for v in await store.regions.villages_under("61.04.16")}
    assert {"Kantor", "Suka Bangun Dalam"} <= delta_pawan
    # "61.1" must not pick up 61.11 or 61.12 by a loose prefix
    assert await store.regions.villages_under("61.1") == []


async def test_existing_validates_many_codes_at_once(store: Store) -> None:
    codes = [f"61.04.16.{n}" for n in range(1000, 3000)] + ["61.04", "61.11.01.2009", "xx"]
    found = await store.regions.existing(codes)
    assert {"61.04", "61.11.01.2009", "61.04.16.1001", "61.04.16.2009"} <= found
    assert "xx" not in found
    assert "61.04.16.2999" not in found


async def test_get_many_and_search(store: Store) -> None:
    many = await store.regions.get_many(["61.04", "61.11", "00"])
    assert set(many) == {"61.04", "61.11"}
    assert [r.code for r in await store.regions.search("kab. ketapang", level="regency")] == [
        "61.04"
    ]
    sukadana = await store.regions.search("Sukadana", level="district")
    assert [r.code for r in sukadana] == ["18.07.01", "32.07.14", "61.11.01"]


def test_code_helpers() -> None:
    assert ancestor_codes("61.04.16.2009") == ["61", "61.04", "61.04.16", "61.04.16.2009"]
    assert level_of_code("61") == "province"
    assert level_of_code("61.11.01.2001") == "village"
    assert level_of_code("61.x") is None
