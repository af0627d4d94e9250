"""Every citizen-facing sentence that is not a guide's own text: where to turn when a guide is silent (12345
and the local office), "not listed", what the assistant covers (from the guides' scopes, not typed), the
apology when the system fails, the example question, WeChat's welcome and notes. Change the wording here."""

from __future__ import annotations

from collections.abc import Iterable

from bot.kb.store import Guide

HOTLINE = "12345政务服务便民热线"
REFER = f"请拨打{HOTLINE}，或咨询当地医保经办机构。"
APOLOGY = f"抱歉，系统暂时无法回答您的问题，请稍后再试，或拨打{HOTLINE}咨询。"
EXAMPLE_QUESTION = "“沙湾区住院报销打哪个电话？”"
EXAMPLE = f"您可以这样问：{EXAMPLE_QUESTION}"
NOT_UNDERSTOOD = "抱歉，我没有听懂。"
ASK_SERVICE = (
    "请问您要办理哪一项医保业务？比如：住院费用报销、城乡居民参保登记、异地就医备案、医保电子凭证申领。"
)
WHAT_IT_ANSWERS = "办理材料、时限、流程、渠道、地点和电话"

# Feedback on an answer (bot.dialogue.feedback)
THANKS = "不客气！还有其他医保办事的问题可以继续问我。"
SORRY = (
    "抱歉这个回答没有帮到您，已经记下，工作人员会核对改进。您可以换个说法再问，说清楚要办的业务和所在区县；"
    f"也可以拨打{HOTLINE}。"
)
SORRY_AGAIN = "抱歉还是没有帮到您，已经记下。"
REASON_NOTED = "谢谢，已记下原因。"
THANKS_FIRST = "不客气！"
ASK_WHAT = f"请问您要办理什么医保业务？比如：{EXAMPLE_QUESTION}"


def unplaced(guide: str, only: bool) -> str:
    """After an answer given for no place: which guide it follows (``only``: the one guide that lists the
    service, a local one)."""
    if only:
        return f"以上为《{guide}》的规定（只有该指南列出此事项）；其他地方{REFER}"
    return f"以上为《{guide}》的规定，各地可能略有不同；告诉我您所在的市或区县，可查当地的办理地点和电话。"


def correction_noted(service: str, place: str) -> str:
    """An operator's correction of the last answer, acknowledged."""
    return f"已记下更正：应为“{service}”（{place}），会用于改进回答。"


# WeChat (text only)
WELCOME = (
    "您好，欢迎关注！我是医保办事助手，可以查医保经办业务（参保登记、住院费用报销、异地就医备案、医保电子凭证等）"
    f"的办理材料、办理时限、流程、渠道、地点和咨询电话。直接发文字或语音提问就行，比如：{EXAMPLE_QUESTION}"
)
UNSUPPORTED = (
    f"抱歉，我只能看懂文字和语音消息。请用文字或语音说出您要办的医保业务和所在地，比如：{EXAMPLE_QUESTION}"
)
UNHEARD = f"抱歉，没有听清您的语音。请再说一遍，或者直接打字提问，比如：{EXAMPLE_QUESTION}"
EMPTY = f"请直接发文字提问，比如：{EXAMPLE_QUESTION}"
TRANSFERRING = "已为您转接人工客服，请稍候。如果暂时无人接待：\n"
CUT_NOTE = "\n（回答较长，只显示了前一部分。可以分开问材料、时限或电话。）"


def cross_window(place: str, guide: str) -> str:
    """Where a citizen insured in one province and living in the other can apply in person."""
    window = f"可就近到{place}政务服务大厅的“川渝通办”专窗办理，由收件地专窗反馈结果。"
    return f"您人在{place}：按《{guide}》，{window}"


def not_listed(guide: str | None, place: str, what: str) -> str:
    """《guide》 (the guides, with no guide) lists no ``what`` (for ``place``, if any): where to ask
    instead."""
    source = f"《{guide}》未列出" if guide else "指南没有列出"
    return f"{source}{place}{'的' if place else ''}{what}，{REFER}"


def listed_elsewhere(guide: str, what: str) -> str:
    """《guide》 lists no ``what``; other guides covering the place do, shown after this line."""
    return f"《{guide}》未列出{what}，以下为其他指南的规定："


def no_guide_for(place: str, coverage_sentence: str) -> str:
    return f"暂未收录{place}的医保办事指南。{coverage_sentence}其他地区请拨打{HOTLINE}。"


def no_such_service(place: str, service: str) -> str:
    return f"在适用于{place}的办事指南里没有找到“{service}”这一事项。请拨打{HOTLINE}咨询。"


def off_topic(coverage_sentence: str) -> str:
    """A matter of another office ("公积金提取要带啥"): not in the guides, where to ask."""
    return f"这个问题不属于医保经办事项，不在医保办事指南之内。{coverage_sentence}其他问题请拨打{HOTLINE}。"


def not_in_any_guide(topic: str, coverage_sentence: str) -> str:
    return f"医保办事指南没有收录{topic}的内容。{REFER}{coverage_sentence}"


# What an answer that could not give what was asked says, by the fixed words of its sentence above.
GAPS = {
    "not_listed": ("未列出", "没有列出"),
    "no_guide": ("暂未收录",),
    "no_such_service": ("没有找到“",),
    "not_in_guides": ("没有收录",),
    "not_understood": (NOT_UNDERSTOOD,),
    "off_topic": ("不属于医保经办事项",),
}


def gaps(text: str) -> list[str]:
    """The kinds of GAPS that ``text`` says: what was asked and is not in the guides, or not understood."""
    return [kind for kind, marks in GAPS.items() if any(mark in text for mark in marks)]


def coverage(guides: Iterable[Guide]) -> str:
    """What the assistant answers, from the guides' scopes: each province, the cities whose guides list
    district phones, and a province only a guide of one way of service covers ("重庆市（川渝通办事项）")."""
    provinces: dict[str, list[Guide]] = {}
    for guide in guides:
        for scope in guide.scope:
            provinces.setdefault(scope.split("/")[0], []).append(guide)
    parts = []
    for province, covering in provinces.items():
        local = [s.split("/")[-1] for g in covering for s in g.scope if s.startswith(province + "/")]
        if local:
            parts.append(f"{province}（{'、'.join(dict.fromkeys(local))}可查到区县电话）")
        elif all(g.keywords for g in covering):
            parts.append(f"{province}（{covering[0].keywords[0]}事项）")
        else:
            parts.append(province)
    listed = "、".join(parts[:-1]) + "和" + parts[-1] if len(parts) > 1 else "".join(parts)
    return f"本助手可以回答{listed}的医保经办事项：{WHAT_IT_ANSWERS}。"
