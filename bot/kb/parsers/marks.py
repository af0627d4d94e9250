"""Marks the layouts share: how the guides number their services and fields, bullets, and the line before the
local offices' details."""

from __future__ import annotations

import re

NUMERALS = "一二三四五六七八九十"  # what services and fields are numbered with (to 九十九: text.cn_number)
# "三、办理时限": a heading numbered in Chinese, its numeral and its title
NUMBERED = re.compile(rf"^([{NUMERALS}]+)、\s*(\S.*)$")
BULLET = re.compile(r"^[-•·]\s+")  # "- 申请表": a list item's bullet
# "（以下内容以各经办机构公布的为准）": what follows is each local office's place, hours and phones
LOCAL_OFFICES = re.compile(r"^(?:[-•·]\s*)?[(（]以下内容以各经办机构公布的为准[)）]$")
FIRST_FIELD = "一、事项名称"  # the first field heading of a service, where the layouts number fields
