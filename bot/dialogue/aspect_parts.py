"""What answers each aspect a message asks: the card's fields (in answer order) or the contact column, and the
label answers give it. The composer, the shared answer and the hotline page (through the card payload) read
this one table."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AspectPart:
    """The part of a card that answers one aspect."""

    label: str
    fields: tuple[tuple[str, str], ...] = ()  # (field key, label) of the card's fields, in answer order
    contact: str | None = None  # the contact column (consult, complaint, place, hours)


ASPECT_PARTS: dict[str, AspectPart] = {
    "materials": AspectPart("办理材料", (("materials", "办理材料"),)),
    "time_limit": AspectPart("办理时限", (("time_limit", "办理时限"),)),
    "process": AspectPart("办理流程", (("steps", "办理流程"),)),
    "channel": AspectPart("办理渠道", (("channels", "办理渠道"), ("online", "网办渠道"))),
    "target": AspectPart("服务对象", (("target", "服务对象"), ("conditions", "办理条件"))),
    "fee": AspectPart("收费", (("fee", "收费"),)),
    "progress": AspectPart("办理进度查询", (("progress", "办理进度查询"),)),
    "delivery": AspectPart("结果送达", (("delivery", "结果送达"),)),
    "phone": AspectPart("咨询电话", contact="consult"),
    "complaint_phone": AspectPart("投诉电话", contact="complaint"),
    "place": AspectPart("办理地点", contact="place"),
    "hours": AspectPart("办理时间", contact="hours"),
}
CONTACT_ASPECTS = {aspect: part for aspect, part in ASPECT_PARTS.items() if part.contact}


def fields_of(aspect: str) -> tuple[tuple[str, str], ...]:
    """The card's fields that answer ``aspect``, with their labels."""
    part = ASPECT_PARTS.get(aspect)
    return part.fields if part else ()


def payload() -> dict[str, dict[str, object]]:
    """The table as the card payload carries it (for the hotline page): per aspect its fields and contact."""
    return {
        a: {"label": p.label, "fields": [k for k, _ in p.fields], "contact": p.contact}
        for a, p in ASPECT_PARTS.items()
    }
