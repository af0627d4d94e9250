"""Asking back for the one thing that is missing and matters: which service, or which place. The choices go
as buttons (the offered slot remembers them, so that "2" or a title picks one); the text-only channels number
them (bot.channels.wechat_format), the widget and the hotline page show them as buttons."""

from __future__ import annotations

from typing import Any

from bot.dialogue.aspect_parts import ASPECT_PARTS
from bot.dialogue.compose import place_name
from bot.dialogue.reply import Reply
from bot.kb.store import KnowledgeBase

MAX_SERVICES = 6
MAX_PLACES = 8


def ask_service(options: list[str], region: str | None, aspects: list[str], meta: dict) -> Reply:
    """Which of the tied services is meant."""
    offered = [{"kind": "service", "value": name, "title": name} for name in options[:MAX_SERVICES]]
    return Reply(
        "您问的是哪一项？请选择或回复名称：",
        buttons(offered),
        {"offered": offered, "aspects": aspects, "region": region},
        meta | {"clarify": True, "region": region},
    )


def ask_region(
    kb: KnowledgeBase,
    slots: dict[str, Any],
    aspects: list[str],
    service: str | None,
    meta: dict,
    candidates: list[str],
    within: str | None = None,
    differs: list[str] | None = None,
) -> Reply:
    """Ask for the place: among same-named places, among the places ``within`` a province whose guides list
    local contacts, among the places whose guides set the aspects ``differs`` names each its own way, or among
    all places with local contacts."""
    if differs:
        what = "、".join(ASPECT_PARTS[a].label for a in differs)
        note = f"{what}各地规定不同。请问您在哪个市或区县参保？"
    elif within:
        note = f"电话和办理地点因地而异。请问您在{place_name(within)}哪个市或区县？"
    elif not candidates:
        candidates = [s for g in kb.guides.values() if g.depth() > 0 for s in g.scope]
        note = "电话和办理地点因地而异。请问您在哪个市或区县？（如：沙湾区、峨眉山市、宣汉县、成都市）"
    else:
        note = "有几个同名的地方，请问是哪一个？"
    offered = [
        {"kind": "region", "value": path, "title": place_name(path)} for path in candidates[:MAX_PLACES]
    ]
    return Reply(
        note,
        buttons(offered),
        {"offered": offered, "aspects": aspects, "service": service or slots.get("service")}
        | ({"region": within} if within else {}),
        meta | {"clarify": True, "service": service},
    )


def buttons(offered: list[dict[str, str]]) -> list[dict[str, str]]:
    return [{"title": o["title"], "payload": o["title"]} for o in offered]
