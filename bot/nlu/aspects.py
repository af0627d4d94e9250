"""What a message asks about a service: materials, time limit, phone, place… (several at once)."""

from __future__ import annotations

import re

ASPECTS = (
    "materials",
    "time_limit",
    "phone",
    "complaint_phone",
    "place",
    "address",
    "hours",
    "process",
    "channel",
    "target",
    "fee",
    "progress",
    "delivery",
    "overview",
)
LOCAL_ASPECTS = frozenset(
    {"phone", "complaint_phone", "place", "address", "hours"}
)  # answered by a place's contacts

# Cue words per aspect; colloquial and dialect forms included. Order of ASPECTS is the order answers use.
_CUES: dict[str, str] = {
    "materials": r"材料|资料|带(?:什么|啥|些|哪些|上|好|齐)|要带|准备(?:什么|啥|"
    r"些|哪些)|需要(?:什么|啥|哪些)(?:证|东西|手续)?|"
    r"证件|东西|要啥子|要啥(?!时)|提供(?:什么|啥|哪些)|复印件|原件|表格|哪些表|啥表|什么表|"
    r"交(?:啥|什么|些|哪些)|要交|填(?:啥|什么|哪些)|拿(?:啥|什么|些|哪些)|要些啥|证明|要(?:什么|哪些)(?!时)|"
    r"申请表|登记表|表叫|表名|啥子表|什么表|要么子|么子材料|么子东西|么子手续",
    "time_limit": r"长时间|要多长|几多(?:天|久|时间|日)|有结果|出结果|通知结果|"
    r"反馈结果|工作日|好多天|多少天|(?<![那这前])几天|多久|好久|几个工作日|时限|"
    r"当天|当场|马上|即时|什么时候(?:能|可以|到|办好|出)|"
    r"啥时候(?:能|可以|到|办好)|要等|等多久|多快|到账|办好要|几时",
    "complaint_phone": r"投诉|监督电话|举报|反映|办不下来|不给办|态度(?:差|不好)|不满意",
    "phone": r"电话|打哪个|打啥|联系方式|号码|热线|咨询哪|问哪个|找哪个|找谁|座机|联系谁",
    # "网上在哪里办" asks the online way, not a place
    "place": r"几楼|哪层|楼层|(?<!网上)(?<!线上)(?<!手机上)在哪"
    r"(?!个?(?:网站|网址|APP|app|App|小程序|公众号|平台))|"
    r"(?<!网上)(?<!线上)(?<!手机上)(?<!在)哪里办|哪儿|哪点|地址|地点|哪个窗口|什么窗口|办理窗口|办事窗口|"
    r"几号窗口|去哪|哪个地方|什么地方|啥地方|哪个部门|哪个单位|哪个办公室|"
    r"哪个科室|(?:受理|办理|经办)的?(?:科室|部门)|找谁办|谁来办|(?<![打划发转])到哪|"
    r"乡镇|街道|社区|便民服务中心|镇上|乡上|村上",
    "address": r"哪条街|哪个街|哪条路|门牌|几号(?!窗口)|具体地址|详细地址|具体在哪",  # a street and number
    "hours": (
        r"几点|上班时间|办公时间|工作时间|办理时间|周[六日末]|星期[六天日]|"
        r"礼拜|节假日|中午|下班|上午|下午|开门|关门"
    ),
    "process": r"流程|怎么办|咋个办|咋办|咋个弄|咋弄|怎么弄|如何办|如何申请|"
    r"怎么申请|咋个申请|步骤|程序|手续|怎样办|怎么操作|办法|"
    r"(?:咋个|怎么|如何|咋|么样|啷个)(?:样)?[^，。？?,]{0,2}?(?:申领|领|取|报|搞|整|操作|办理|改|变更|申请|交|缴|处理)|"
    r"(?:么样|啷个|咋个|咋)办|搞么斯|"
    r"打到|打给|发给|[划转]到哪|到哪个账户|打哪个账户|发到哪|转出地|转入地",
    "channel": (
        r"能在[^，。？?,]{1,6}(?:办|改|弄|申请|交)|手机上|还能在哪|还可以在哪|"
        r"除了|电话办|医院(?:里)?(?:直接)?办|在医院(?:里)?(?:就)?(?:能|"
        r"可以)?(?:直接)?(?:办|弄|申请|备案)|去银行|银行网点|银行办|网上|"
        r"线上|(?<!不会用)(?<!不会)手机(?!号)|APP|app|App|小程序|微信|"
        r"支付宝|不用跑|跑一趟|渠道|途径|网办|在家|不出门|上网|公众号|"
        r"渝快办|天府通办|网址|网站|官网|链接"
    ),
    "target": (
        r"能[^，。？?,\s]{0,8}不(?=[？?。，,！!\s]|$)|(?:单位|个人|自己|"
        r"本人)(?:去)?(?:办|申请|领)还是|谁(?:可以|能|去|来|申请|办)|"
        r"个人去|单位去|哪些人|什么人|啥人|条件|(?:什么|啥子|啥|哪些|"
        r"哪种)情况|能不能(?:办|用|报|享受|申请|参加)|可不可以办|能办不|"
        r"能办吗|可以办吗|能报吗|可以报吗|符合|对象|资格|够不够"
    ),
    "fee": (
        r"收不收钱|收钱|收费|要不要钱|要钱不|要钱吗|要钱没|花钱|免费|"
        r"工本费|多少钱|要交钱|交钱(?:不|吗|没)"
    ),
    "progress": (
        r"进度|办到哪|办得(?:怎么样|咋样)|审(?:核)?到哪|(?:查|问)(?:一下|"
        r"下)?(?:办理)?结果|结果(?:查询|咋个查|怎么查)|办好(?:了)?没|"
        r"批(?:下来)?了没|有(?:没有)?结果了"
    ),
    "delivery": (
        r"送达|邮寄|寄(?:给|到|回)|(?:怎么|咋个|咋|如何)(?:拿|领|取)(?:到)?结果|"
        r"结果(?:怎么|咋个|么样|如何)(?:给|通知|送|告诉)|通知我"
    ),
    "overview": r"介绍|了解|办事指南|是什么|是啥|全部|所有信息|说一下|讲一下",
}
_PATTERNS = {aspect: re.compile(cue) for aspect, cue in _CUES.items()}
# "电话" that is not asking for a number: a way of applying ("打电话办") or the citizen's own number to
# change.
_PHONE_NOT_ASKED = re.compile(
    r"(?:身份证|证件|社保卡|银行卡|卡)号码?|(?:打|用|通过)?电话(?:办理|办|申请)|(?:改|换|更改|变更|新增|留)[了的个]?(?:手机|电话)号?码?|"
    r"(?:手机|电话)号?码?[^，。？?,]{0,4}(?:咋个改|怎么改|改|换|变|错)"
)

INTENT_ASPECTS: dict[str, tuple[str, ...]] = {
    "ask_materials": ("materials",),
    "ask_time_limit": ("time_limit",),
    "ask_phone": ("phone",),
    "ask_complaint_phone": ("complaint_phone",),
    "ask_place": ("place", "hours"),
    "ask_process": ("process",),
    "ask_channel": ("channel",),
    "ask_eligibility": ("target",),
    "ask_overview": ("overview",),
}


def detect_aspects(text: str) -> list[str]:
    """The aspects whose cue words occur in ``text``, in answer order."""
    asking = {"phone": _PHONE_NOT_ASKED.sub("", text)}
    found = [aspect for aspect in ASPECTS if _PATTERNS[aspect].search(asking.get(aspect, text))]
    if "address" in found and "place" not in found:
        found.insert(found.index("address"), "place")
    plain_phone = re.search(r"咨询|电话和|和投诉|以及", text)  # "电话和投诉电话都给我说下" asks for both
    if "complaint_phone" in found and "phone" in found and not plain_phone:
        found.remove("phone")  # "投诉电话" asks for the complaint number only
    return found


def refine(aspects: list[str], text: str) -> list[str]:
    """``aspects`` (the model's) with the street address when its cue words ask for one ("哪条街、好多号"):
    the question sets seldom label it apart from the place, so the model cannot learn it."""
    if not _PATTERNS["address"].search(text) or "address" in aspects:
        return aspects
    found = set(aspects) | {"place", "address"}
    return [aspect for aspect in ASPECTS if aspect in found]


def cue_features(text: str) -> list[float]:
    """Per aspect: its cue words occur (1/0), and the cue rules name it (1/0) — the aspect model's
    evidence."""
    found = set(detect_aspects(text))
    return [float(bool(_PATTERNS[a].search(text))) for a in ASPECTS] + [float(a in found) for a in ASPECTS]


def strip_cues(text: str) -> str:
    """``text`` without the words that say what is asked ("电话多少" → "多少"), leaving what it is about."""
    for pattern in _PATTERNS.values():
        text = pattern.sub("", text)
    return text


# "用哪个APP", "网址是多少", "下载啥子软件": the name of an online way is asked, not only whether there is one
_TOOL_ASKED = re.compile(
    r"(?:哪个|哪款|什么|啥子?|么子|哪些)(?:APP|App|app|软件|小程序|公众号|网站|网址|平台)|"
    r"(?:APP|App|app|软件|小程序|公众号|网站|网址|平台)(?:是|叫)?(?:哪个|什么|啥|多少|好多)|下载(?:哪个|什么|啥)"
)


def asks_online_tool(text: str) -> bool:
    """True when the message asks which app, mini program, account or website to use."""
    return bool(_TOOL_ASKED.search(text))


def needs_region(aspects: list[str]) -> bool:
    """True when the answer depends on the place (local phones, place, hours)."""
    return bool(LOCAL_ASPECTS & set(aspects))
