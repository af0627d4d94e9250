"""`python -m bot kb build | check | lookup`."""

from __future__ import annotations

import argparse
import json
import sys
import time

from bot import paths
from bot.kb.build import build
from bot.kb.check import report
from bot.kb.lookup import Card, ContactInfo, NotFound, card
from bot.kb.store import KnowledgeBase, KnowledgeBaseError

_CONFLICT_FIELDS = {"time_limit": "时限", "materials": "材料"}  # the fields bot.kb.build compares

FIELD_NAMES = {
    "target": "服务对象",
    "conditions": "办理条件",
    "channels": "办理渠道",
    "online": "网办渠道",
    "materials": "办理材料",
    "time_limit": "办理时限",
    "steps": "办理流程",
    "stages": "办理环节",
    "progress": "进度查询",
    "evaluation": "服务评价",
    "remarks": "备注",
    "fee": "收费",
    "delivery": "结果送达",
    "basis": "设定依据",
    "accepting_body": "受理机构",
    "deciding_body": "决定机构",
    "category": "事项类别",
    "publisher": "发布机构",
    "dates": "发布/实施日期",
    "remedy": "行政救济",
    "supervision": "监督投诉",
    "consult_channel": "咨询方式",
    "name": "事项名称",
}


def add_parser(commands: argparse._SubParsersAction) -> None:
    kb = commands.add_parser("kb", help="build, check and query the knowledge base").add_subparsers(
        dest="kb_command", required=True
    )
    kb.add_parser("build", help="parse knowledge/sources into the SQLite knowledge base")
    check = kb.add_parser("check", help="report counts, gaps, anomalies and conflicts")
    check.add_argument("--baseline", default=str(paths.KNOWLEDGE / "baseline.yml"))
    lookup = kb.add_parser("lookup", help="print what the guide says about a service for a region")
    lookup.add_argument("service")
    lookup.add_argument("region")
    lookup.add_argument("--json", action="store_true")


def run(args: argparse.Namespace) -> int:
    if args.kb_command == "build":
        started = time.perf_counter()
        counts = build()
        print(
            f"built {paths.KB_PATH} in {time.perf_counter() - started:.1f}s: "
            + ", ".join(f"{k} {v}" for k, v in counts.items())
        )
        return 0
    try:
        kb = KnowledgeBase()
    except KnowledgeBaseError as error:
        print(error, file=sys.stderr)
        return 2
    if args.kb_command == "check":
        text, ok = report(kb, paths.Path(args.baseline))
        print(text)
        return 0 if ok else 1
    return lookup(kb, args.service, args.region, args.json)


def lookup(kb: KnowledgeBase, service: str, region_text: str, as_json: bool) -> int:
    match = kb.resolver.resolve(region_text)
    if match is None:
        print(f"不认识的地区：{region_text}", file=sys.stderr)
        return 2
    if match.ambiguous:
        print(f"有几个同名的地方，请写明是哪一个：{'、'.join(match.candidates)}", file=sys.stderr)
        return 2
    try:
        result = card(kb, service, match.path)
    except NotFound as error:
        print(error, file=sys.stderr)
        return 3
    if as_json:
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=1))
    else:
        print(format_card(result))
    return 0


def format_contact(contact: ContactInfo) -> list[str]:
    return [
        f"  办理地点：{contact.place or '（指南未列）'}",
        f"  办理时间：{contact.hours or '（指南未列）'}",
        f"  咨询电话：{'、'.join(contact.consult) or '（指南未列）'}",
        f"  投诉电话：{'、'.join(contact.complaint) or '（指南未列）'}",
        f"  出处：{contact.source.file} 行{contact.source.line_start}-{contact.source.line_end}"
        + ("（人工修正）" if contact.source.origin == "override" else ""),
    ]


def format_card(result: Card) -> str:
    """Every field and the region's contacts, each with its lines in the source."""
    guide = result.guide
    lines = [
        f"事项：{result.service.name}（匹配度 {result.score:.0f}）",
        f"地区：{result.region}",
        f"依据：《{guide.title}》",
        *result.notes,
    ]
    if result.service.codes:
        lines.append("编码：" + "；".join(f"{k} {v}" for k, v in result.service.codes.items()))
    for info in result.fields:
        if info.key == "name":
            continue
        scope = f"（{info.scope}）" if info.scope else ""
        label = FIELD_NAMES.get(info.key, info.label)
        lines.append(f"【{label}{scope}】 行{info.source.line_start}-{info.source.line_end}")
        lines += (
            [f"  {n}. {item}" for n, item in enumerate(info.items, 1)]
            if len(info.items) > 1
            else [f"  {info.text}"]
        )
    level_note = {
        "exact": "",
        "parent": "（该地未单列，以下为上级）",
        "grandparent": "（该地未单列，以下为上级）",
        "guide": "（全指南统一）",
    }
    if result.contact:
        lines.append(
            f"【联系方式】{result.contact.area or ''}{level_note.get(result.contact_level or '', '')}"
        )
        lines += format_contact(result.contact)
    if not (result.contact and result.contact.consult):
        lines.append(
            f"  《{guide.short}》未列出{result.region}的咨询电话：请拨打12345政务服务便民热线，"
            f"或咨询当地医保经办机构。"
        )
    if result.district_contacts and result.contact_level != "exact":
        lines.append("【辖区各地】")
        for contact in result.district_contacts:
            lines.append(f" {contact.area}")
            lines += format_contact(contact)
    for conflict in result.conflicts:
        lines.append(
            f"【注意】{_CONFLICT_FIELDS[conflict['field']]}说法不一：本指南“{conflict['value']}”，"
            f"《{conflict['other_short']}》"
            f"“{conflict['other_value']}”（行{conflict['other_line_start']}）"
        )
    return "\n".join(lines)
