"""The region gazetteer: province → city → district → township, with the short and old names people use.

Built from jionlp's ``china_location`` data (maintained, 2025) and its change log, plus
``knowledge/regions.yml``. A region is named by its path of labels, "四川省/乐山市/沙湾区"; a label is the
official name unless a guide prints the place differently ("峨边县" for 峨边彝族自治县), in which case the
builder relabels it so that answers use the guide's wording. Old names ("郫县", "宜宾县", "襄樊") are aliases
of the places that carry them today.
"""

from __future__ import annotations

import importlib.util
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml


# jionlp is only a data source here: find its files without importing the package (which loads its models).
def _package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise ImportError(f"{name} is not installed (make setup)")
    return Path(list(spec.submodule_search_locations)[0])


JIONLP_DATA = _package_dir("jionlp") / "dictionary"
LOCATIONS = JIONLP_DATA / "china_location.zip"
CHANGES = JIONLP_DATA / "china_location_change.txt"
LEVELS = ("province", "city", "district", "township")
_PLACEHOLDERS = {"省直辖行政区划", "自治区直辖县级行政区划", "市辖区", "县"}
_TOWNSHIP = re.compile(r"^.{2,}(?:镇|乡|街道)$")
_ETHNIC = re.compile(r"^(.{2,}?)(?:[^族]{1,4}族)+自治(州|县|旗)$")
_SUFFIX = re.compile(r"^(.{2,}?)(省|市|自治区|特别行政区|地区|盟|林区|区|县|旗)$")
# functional zones: how people shorten them (达州经济开发区 → 达州经开区, 龙感湖管理区 → 龙感湖); 天府新区
# has none
_ZONES = re.compile(r"^(.{2,}?)(?:(经济(?:技术)?开发区)|(高新技术产业开发区)|(管理区)|新区)$")


@dataclass
class Region:
    """One place of the gazetteer."""

    path: str
    name: str
    level: str  # "province" | "city" | "district"
    parent: str | None
    adcode: str
    aliases: list[str] = field(default_factory=list)  # every other name it is found by, former names too
    former: list[str] = field(default_factory=list)  # the names it had before a change (郫县 for 郫都区)

    @property
    def label(self) -> str:
        """The last element of the path: the name answers use."""
        return self.path.rsplit("/", 1)[-1]


def short_forms(name: str) -> list[str]:
    """Names derived from an official one: 峨边彝族自治县 → 峨边, 峨边县; 乐山市 → 乐山; 达州经济开发区 →
    达州经开区."""
    forms: list[str] = []
    ethnic, zone = _ETHNIC.match(name), _ZONES.match(name)
    if zone:
        stem, economic, technical, managed = zone.groups()
        forms += (
            [stem + "经开区"] if economic else [stem + "高新区"] if technical else [stem] if managed else []
        )
    elif ethnic:
        stem, kind = ethnic.groups()
        forms += [stem, stem + kind]
    else:
        plain = _SUFFIX.match(name)
        if plain:
            forms.append(plain.group(1))
    return [form for form in forms if len(form) >= 2 and form != name]


def _locations() -> Iterator[tuple[int, str, str]]:
    """(depth, name, adcode) of every line of jionlp's tree: depth 0 province … 3 township, 4 village."""
    with zipfile.ZipFile(LOCATIONS) as archive, archive.open("china_location.txt") as raw:
        for line in io.TextIOWrapper(raw, encoding="utf-8"):
            cells = line.rstrip("\n").split("\t")
            depth = 0
            while depth < len(cells) and cells[depth] == "":
                depth += 1
            values = cells[depth:]
            if values and values[0]:
                yield depth, values[0], values[1] if len(values) > 1 else ""


def renamed_places(in_full: set[str], supplement: dict[str, str]) -> dict[tuple[str, ...], list[str]]:
    """Old names by the official names of the place that carries them today (province, city[, county]):
    jionlp's change log, and ``supplement`` (old name → today's, in the same city) for changes the log does
    not record."""
    renamed: dict[tuple[str, ...], list[str]] = {}
    for line in CHANGES.read_text(encoding="utf-8").splitlines():
        if "=>" not in line:
            continue
        before, after = line.split("=>")
        old, new = before.split("\t")[2::2], after.split("\t")
        new = [n for at, n in enumerate(new) if at != 1 or (n != new[0] and n not in _PLACEHOLDERS)]
        if new[0] in in_full and old[-1] != new[-1]:
            renamed.setdefault(tuple(new), []).append(old[-1])
    for former, today in supplement.items():
        renamed.setdefault((today,), []).append(former)
    return renamed


def build_regions(config_path: Path) -> list[Region]:
    """All provinces and cities of China, and every district and township of the provinces named in full."""
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    in_full = set(config["provinces_in_full"])
    extra: dict[str, list[str]] = config.get("aliases", {})
    banned = set(config.get("no_short_form", []))
    renamed = renamed_places(in_full, config.get("renamed", {}))
    regions: list[Region] = []
    chain: list[Region | None] = [None] * len(LEVELS)  # the latest region of each depth

    def add(level: str, name: str, code: str, parent: Region | None) -> Region:
        official = tuple(r.name for r in chain[: LEVELS.index(level)] if r) + (name,)
        old = renamed.get(official, []) + (renamed.get((name,), []) if level == "district" else [])
        aliases = [] if level == "township" else short_forms(name) + [f for o in old for f in short_forms(o)]
        region = Region(
            path=f"{parent.path}/{name}" if parent else name,
            name=name,
            level=level,
            parent=parent.path if parent else None,
            adcode=code,
            aliases=sorted({a for a in aliases if a not in banned} | set(old) | set(extra.get(name, []))),
            former=sorted(set(old)),
        )
        regions.append(region)
        return region

    for depth, name, code in _locations():
        if depth >= len(LEVELS):
            continue
        province = chain[0]
        if depth == 0:
            chain = [add("province", name, code, None)] + [None] * (len(LEVELS) - 1)
        elif depth == 1:
            # a municipality's own city line and the "directly administered" placeholders hold districts
            # directly
            collapsed = name in _PLACEHOLDERS or (province is not None and name == province.name)
            chain[1:] = [None if collapsed else add("city", name, code, province)] + [None] * (
                len(LEVELS) - 2
            )
        elif province is None or province.name not in in_full:
            continue
        elif depth == 2:
            chain[2:] = [add("district", name, code, chain[1] or province), None]
        elif chain[2] is not None and _TOWNSHIP.match(name):
            chain[3] = add("township", name, "", chain[2])
    return regions


def relabel(regions: list[Region], path: str, label: str) -> None:
    """Rename the region at ``path`` (and its descendants' paths) to ``label``, keeping the old name as an
    alias."""
    old_prefix = path
    new_prefix = path.rsplit("/", 1)[0] + "/" + label if "/" in path else label
    for region in regions:
        if region.path == old_prefix:
            region.aliases = sorted(set(region.aliases + [region.name]) - {label})
        for attr in ("path", "parent"):
            value = getattr(region, attr)
            if value and (value == old_prefix or value.startswith(old_prefix + "/")):
                setattr(region, attr, new_prefix + value[len(old_prefix) :])
