"""How a village is named in answers: "Desa Sutera, Kec. Sukadana, Kabupaten Kayong Utara"."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.i18n import N_, Translator
from bot.regions.model import Region

# Kemendagri village codes: 1xxx is an urban kelurahan, 2xxx a rural desa.
_KIND_KEYS = {"1": N_("villages.kind.kelurahan"), "2": N_("villages.kind.desa")}
MAX_BUTTON = 20


@dataclass(frozen=True, slots=True, kw_only=True)
class VillagePlace:
    """A village with the district and regency above it (names as in the gazetteer)."""

    village: Region
    district: Region | None
    regency: Region | None

    @property
    def code(self) -> str:
        return self.village.code


def place_from_lineage(lineage: list[Region]) -> VillagePlace | None:
    by_level = {region.level: region for region in lineage}
    village = by_level.get("village")
    if village is None:
        return None
    return VillagePlace(
        village=village, district=by_level.get("district"), regency=by_level.get("regency")
    )


def village_name(place: VillagePlace, t: Translator) -> str:
    """ "Desa Sutera" / "Kelurahan Sampit"."""
    suffix = place.code.rsplit(".", 1)[-1][:1]
    return t(_KIND_KEYS.get(suffix, "villages.kind.desa"), name=place.village.name)


def full_name(place: VillagePlace, t: Translator) -> str:
    if place.district is None or place.regency is None:
        return village_name(place, t)
    return t(
        "villages.place",
        village=village_name(place, t),
        district=place.district.name,
        regency=place.regency.name,
    )


def choice_label(place: VillagePlace, t: Translator) -> str:
    """A short button label that tells same-named villages apart: "Sutera (Sukadana)"."""
    district = place.district.name if place.district else place.code
    label = t("villages.choice", village=place.village.name, district=district)
    return label if len(label) <= MAX_BUTTON else label[: MAX_BUTTON - 1] + "…"
