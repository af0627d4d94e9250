"""The knowledge-base check report: counts, gaps, anomalies and conflicts, against a committed baseline."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path

import yaml

from bot.kb.store import KnowledgeBase

BASELINE_KEYS = ("services", "fields", "contact_rows", "phones", "conflicts")


# The report's sections that list a table's rows: heading, query, one row's line
_ROW_SECTIONS: list[tuple[str, str, Callable[[KnowledgeBase, dict], str]]] = [
    (
        "异常",
        "select * from anomalies order by guide, line_start",
        lambda kb, r: (
            f"{r['guide']} [{r['kind']}] {r['service'] or ''} 行{r['line_start']}-{r['line_end']}: "
            f"{r['message']}"
        ),
    ),
    (
        "时限冲突",
        "select * from conflicts order by guide, service_id",
        lambda kb, r: (
            f"{r['service']}: 《{kb.guides[r['guide']].short}》“{r['value']}”（行{r['line_start']}）≠ "
            f"《{kb.guides[r['other_guide']].short}》“{r['other_value']}”（行{r['other_line_start']}）"
        ),
    ),
    (
        "人工修正（overrides）",
        "select * from overrides_applied",
        lambda kb, r: f"{r['row_id']} {r['column']}: {r['source_value']!r} → {r['value']!r}（{r['reason']}）",
    ),
    (
        "文件联系人（非办事电话）",
        "select * from document_contacts",
        lambda kb, r: f"{r['guide']}: {r['person']} {r['phone']}（行{r['line_start']}）",
    ),
]


def guide_counts(kb: KnowledgeBase) -> dict[str, dict[str, int]]:
    """Per guide: services, fields, contact rows, distinct phones, conflicts."""
    counts = {}
    for key in kb.guides:

        def one(sql: str, key: str = key) -> int:
            return kb.db.execute(sql, (key,)).fetchone()[0]

        phones = {
            p
            for r in kb.rows(
                "select c.consult, c.complaint from contacts c join services s "
                "on s.id = c.service_id where s.guide = ?",
                key,
                json_columns=("consult", "complaint"),
            )
            for p in r["consult"] + r["complaint"]
        }
        counts[key] = {
            "services": one("select count(*) from services where guide = ?"),
            "fields": one(
                "select count(*) from fields f join services s on s.id = f.service_id where s.guide = ?"
            ),
            "contact_rows": one(
                "select count(*) from contacts c join services s on s.id = c.service_id where s.guide = ?"
            ),
            "phones": len(phones),
            "conflicts": one("select count(*) from conflicts where guide = ?"),
        }
    return counts


def missing_fields(kb: KnowledgeBase) -> dict[str, list[tuple[str, list[str]]]]:
    """Per guide, services lacking a field that most of that guide's services have."""
    report: dict[str, list[tuple[str, list[str]]]] = {}
    for key in kb.guides:
        services = [s for s in kb.services.values() if s.guide == key]
        present = {s.id: {f["key"] for f in kb.fields(s.id)} for s in services}
        usual = [
            k
            for k, n in Counter(k for keys in present.values() for k in keys).items()
            if n * 2 > len(services)
        ]
        gaps = [(s.name, sorted(set(usual) - present[s.id])) for s in services]
        report[key] = [(name, keys) for name, keys in gaps if keys]
    return report


def contacts_by_area(kb: KnowledgeBase) -> dict[str, list[tuple[str, int, int, int]]]:
    """Per guide and area: services with a row, rows with a 咨询电话, rows with a 投诉电话."""
    report: dict[str, list[tuple[str, int, int, int]]] = {}
    for key in kb.guides:
        rows = kb.rows(
            "select c.area, c.consult, c.complaint from contacts c join services s on s.id = c.service_id"
            " where s.guide = ?",
            key,
            json_columns=("consult", "complaint"),
        )
        areas = sorted({r["area"] for r in rows})
        report[key] = [
            (
                area or "（全指南）",
                sum(r["area"] == area for r in rows),
                sum(bool(r["consult"]) for r in rows if r["area"] == area),
                sum(bool(r["complaint"]) for r in rows if r["area"] == area),
            )
            for area in areas
        ]
    return report


def gazetteer(kb: KnowledgeBase) -> dict[str, Counter]:
    """Per province: how many cities, districts and townships the gazetteer holds."""
    counts: dict[str, Counter] = {}
    for region in kb.regions:
        counts.setdefault(region.path.split("/")[0], Counter())[region.level] += 1
    return counts


def regressions(counts: dict[str, dict[str, int]], baseline_path: Path) -> list[str]:
    """Figures that fell below the committed baseline."""
    if not baseline_path.exists():
        return [f"no baseline at {baseline_path}"]
    baseline = yaml.safe_load(baseline_path.read_text(encoding="utf-8"))
    problems = []
    for guide, expected in baseline.items():
        for name, minimum in expected.items():
            got = counts.get(guide, {}).get(name, 0)
            if got < minimum:
                problems.append(f"{guide}.{name}: {got} < {minimum}")
    return problems


def report(kb: KnowledgeBase, baseline_path: Path) -> tuple[str, bool]:
    """The report text, and whether the knowledge base holds at least the baseline."""
    counts = guide_counts(kb)
    lines = [
        "# 知识库检查",
        "",
        "## 各指南数量",
        "guide            services fields contacts phones conflicts",
    ]
    lines += [
        f"{key:<16} {c['services']:>8} {c['fields']:>6} {c['contact_rows']:>8} {c['phones']:>6} "
        f"{c['conflicts']:>9}"
        for key, c in counts.items()
    ]
    lines += ["", "## 缺少的字段（多数事项都有而该事项没有）"]
    for key, gaps in missing_fields(kb).items():
        lines += [f"{key}: {name}: {', '.join(keys)}" for name, keys in gaps]
    lines += ["", "## 各地联系方式（事项数 / 有咨询电话 / 有投诉电话）"]
    for key, areas in contacts_by_area(kb).items():
        if areas:
            lines.append(f"{key}: " + "；".join(f"{a} {n}/{c}/{p}" for a, n, c, p in areas))
    lines += ["", "## 地名库（jionlp china_location；市 / 区县 / 乡镇街道）"]
    lines += [
        f"{province}: {c['city']} / {c['district']} / {c['township']}"
        for province, c in gazetteer(kb).items()
        if c["district"]
    ]
    lines += [f"其他省份 {sum(1 for c in gazetteer(kb).values() if not c['district'])} 个，只到市一级"]
    lines += ["", "## 更名的地方（旧名 → 今名）"]
    lines += [f"{'、'.join(r.former)} → {r.path}" for r in kb.regions if r.former]
    for heading, sql, line in _ROW_SECTIONS:
        lines += ["", f"## {heading}"] + [line(kb, r) for r in kb.rows(sql)]
    forms = kb.rows("select guide, count(*) n from reference_forms group by guide")
    lines += ["", "## 参考样表"] + [f"{r['guide']}: {r['n']} 张" for r in forms]
    problems = regressions(counts, baseline_path)
    lines += ["", "## 与基线比较", *(problems or ["全部达到基线"])]
    return "\n".join(lines), not problems
