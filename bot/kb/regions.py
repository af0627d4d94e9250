"""The region gazetteer: province → city → district, with the short names people use.

Built from cpca's area data (adcodes) plus ``knowledge/regions.yml``. A region is
named by its path of labels, "四川省/乐山市/沙湾区"; a label is the official name
unless a guide prints the place differently ("峨边县" for 峨边彝族自治县), in which
case the builder relabels it so that answers use the guide's wording.
"""
from __future__ import annotations

import csv
import importlib.util
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

# cpca is only a data source here: find its file without importing the package (which loads a matcher).
ADCODES = Path(importlib.util.find_spec("cpca").submodule_search_locations[0]) / "resources" / "adcodes.csv"
_PLACEHOLDERS = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
_ETHNIC = re.compile(r"^(.{2,}?)(?:[^族]{1,4}族)+自治(州|县|旗)$")
_SUFFIX = re.compile(r"^(.{2,}?)(省|市|自治区|特别行政区|地区|盟|林区|区|县|旗)$")


@dataclass
class Region:
    """One place of the gazetteer."""

    path: str
    name: str
    level: str  # "province" | "city" | "district"
    parent: str | None
    adcode: str
    aliases: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        """The last element of the path: the name answers use."""
        return self.path.rsplit("/", 1)[-1]


def short_forms(name: str) -> list[str]:
    """Names derived from an official one: 峨边彝族自治县 → 峨边, 峨边县; 乐山市 → 乐山."""
    forms: list[str] = []
    ethnic = _ETHNIC.match(name)
    if ethnic:
        stem, kind = ethnic.groups()
        forms += [stem, stem + kind]
    else:
        plain = _SUFFIX.match(name)
        if plain:
            forms.append(plain.group(1))
    return [form for form in forms if len(form) >= 2 and form != name]


def _read_adcodes() -> list[tuple[str, str]]:
    with ADCODES.open(encoding="utf-8") as handle:
        rows = [(row["adcode"], row["name"]) for row in csv.DictReader(handle)]
    return sorted((code, name) for code, name in rows if name not in _PLACEHOLDERS)


def build_regions(config_path: Path) -> list[Region]:
    """All provinces and cities of China, and every district of the provinces named in full."""
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    in_full = set(config["provinces_in_full"])
    extra: dict[str, list[str]] = config.get("aliases", {})
    banned = set(config.get("no_short_form", []))
    by_code: dict[str, Region] = {}
    for code, name in _read_adcodes():
        province = by_code.get(code[:2] + "0" * 10)
        city = by_code.get(code[:4] + "0" * 8)
        if code.endswith("0" * 10):
            level, parent = "province", None
        elif code.endswith("0" * 8) and province and not province.name.endswith("市"):
            level, parent = "city", province
        else:
            level, parent = "district", city or province
            if parent is None or (province and province.name not in in_full):
                continue
        if parent is None and level != "province":
            continue
        aliases = [a for a in short_forms(name) if a not in banned] + extra.get(name, [])
        by_code[code] = Region(
            path=f"{parent.path}/{name}" if parent else name,
            name=name,
            level=level,
            parent=parent.path if parent else None,
            adcode=code,
            aliases=sorted(set(aliases)),
        )
    return list(by_code.values())


def relabel(regions: list[Region], path: str, label: str) -> None:
    """Rename the region at ``path`` (and its descendants' paths) to ``label``, keeping the old name as an alias."""
    old_prefix = path
    new_prefix = path.rsplit("/", 1)[0] + "/" + label if "/" in path else label
    for region in regions:
        if region.path == old_prefix:
            region.aliases = sorted(set(region.aliases + [region.name]) - {label})
        for attr in ("path", "parent"):
            value = getattr(region, attr)
            if value and (value == old_prefix or value.startswith(old_prefix + "/")):
                setattr(region, attr, new_prefix + value[len(old_prefix):])
