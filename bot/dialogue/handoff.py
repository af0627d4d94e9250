"""转人工 and complaints: point to the right 投诉电话, or to 12345."""

from __future__ import annotations

from typing import Any

from bot.dialogue.compose import place_name
from bot.dialogue.reply import Reply
from bot.dialogue.wording import HOTLINE
from bot.kb.lookup import NotFound, card
from bot.kb.store import KnowledgeBase


def handoff(kb: KnowledgeBase, service: str | None, region: str | None, complaint: bool) -> Reply:
    """The complaint number the guide lists for this service and place, else 12345; never another place's."""
    lead = "很抱歉给您带来不便。" if complaint else "我是自动助手，暂时不能转接人工。"
    meta: dict[str, Any] = {"clarify": False, "service": None, "region": region, "sources": []}
    if service and region:
        try:
            result = card(kb, service, region)
        except NotFound:
            result = None
        phones = result.contact.complaint if result and result.contact else []
        if result and phones:
            text = (
                f"{lead}{place_name(region)}“{result.service.name}”的投诉电话：{'、'.join(phones)}；"
                f"也可以拨打{HOTLINE}。\n来源：《{result.guide.title}》"
            )
            return Reply(text, meta=meta | {"service": result.service.name, "sources": [result.guide.title]})
    where = "告诉我您所在的区县和事项，我可以查当地指南列出的投诉电话；" if not (service and region) else ""
    return Reply(f"{lead}请拨打{HOTLINE}，由工作人员为您处理。{where}", meta=meta)
