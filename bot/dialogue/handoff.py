"""转人工, complaints and answers that did not help: the local number the guide lists, or 12345.

The reply says where a person can be reached; a channel that can hand the conversation to a person (WeChat's
customer service) does so on ``meta["handoff"]`` and says so itself.
"""

from __future__ import annotations

from typing import Any

from bot.dialogue.compose import place_name
from bot.dialogue.reply import Reply
from bot.dialogue.wording import HOTLINE
from bot.kb.lookup import NotFound, card
from bot.kb.store import KnowledgeBase


def handoff(kb: KnowledgeBase, service: str | None, region: str | None, complaint: bool) -> Reply:
    """The 投诉电话 (complaints) or 咨询电话 the guide lists for this service and place, and 12345; never
    another place's. ``meta["phones"]`` holds the local numbers (the widget links them); ``meta["handoff"]``
    asks a channel that can to hand the conversation to a person (not for a complaint: its number is the
    answer)."""
    lead = "很抱歉给您带来不便。" if complaint else "需要人工帮助的话，"
    meta: dict[str, Any] = {
        "clarify": False,
        "service": None,
        "region": region,
        "sources": [],
        "handoff": not complaint,
        "phones": [],
    }
    result = None
    if service and region:
        try:
            result = card(kb, service, region)
        except NotFound:
            pass
    contact = result.contact if result else None
    phones = (contact.complaint if complaint else contact.consult) if contact else []
    if result and phones:
        kind = "投诉电话" if complaint else "咨询电话"
        text = (
            f"{lead}{place_name(region)}“{result.service.name}”的{kind}：{'、'.join(phones)}；"
            f"也可以拨打{HOTLINE}。\n来源：《{result.guide.title}》"
        )
        found = {"service": result.service.name, "sources": [result.guide.title], "phones": phones}
        return Reply(text, meta=meta | found)
    where = "告诉我您所在的区县和事项，我可以查当地指南列出的电话；" if not (service and region) else ""
    return Reply(f"{lead}请拨打{HOTLINE}，由工作人员为您处理。{where}", meta=meta)
