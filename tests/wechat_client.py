"""Talking to the running assistant's WeChat webhook the way WeChat's servers do: signed queries, message XML."""
from __future__ import annotations

import hashlib
import sqlite3
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from xml.etree import ElementTree

from running import WECHAT_ENV, Assistant

TOKEN, APPID, AES_KEY = WECHAT_ENV["WECHAT_TOKEN"], WECHAT_ENV["WECHAT_APPID"], WECHAT_ENV["WECHAT_AES_KEY"]
ACCOUNT = "gh_yibao_test"
PATH = "/webhooks/wechat/webhook"


def sign(*parts: str) -> str:
    return hashlib.sha1("".join(sorted(parts)).encode()).hexdigest()


def signed(token: str = TOKEN, timestamp: int | None = None, **extra: str) -> dict[str, str]:
    """The query WeChat adds to each request: timestamp, nonce and their signature with the token."""
    stamp, nonce = str(timestamp or int(time.time())), uuid.uuid4().hex[:10]
    return {"signature": sign(token, stamp, nonce), "timestamp": stamp, "nonce": nonce, **extra}


def cdata(value: str) -> str:
    """``value`` as CDATA, as WeChat sends text; a "]]>" in it is split over two sections."""
    return "<![CDATA[" + value.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def message_xml(openid: str, msg_type: str, msg_id: str | None = None, create_time: int | None = None,
                **fields: str) -> str:
    body = "".join(f"<{name}>{cdata(value)}</{name}>" for name, value in fields.items())
    msg_id = f"<MsgId>{msg_id}</MsgId>" if msg_id else ""
    return (f"<xml><ToUserName><![CDATA[{ACCOUNT}]]></ToUserName><FromUserName><![CDATA[{openid}]]></FromUserName>"
            f"<CreateTime>{create_time or int(time.time())}</CreateTime><MsgType><![CDATA[{msg_type}]]></MsgType>{body}{msg_id}</xml>")


def text_xml(openid: str, text: str, msg_id: str | None = None) -> str:
    return message_xml(openid, "text", msg_id or str(uuid.uuid4().int)[:18], Content=text)


def request(assistant: Assistant, query: dict[str, str], body: str | bytes | None = None) -> tuple[int, str]:
    """GET (no body) or POST the webhook; the status and the body of the answer."""
    url = assistant.url("rasa", PATH) + "?" + urllib.parse.urlencode(query)
    data = body.encode() if isinstance(body, str) else body
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data), timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def reply_fields(xml: str) -> dict[str, str]:
    return {child.tag: child.text or "" for child in ElementTree.fromstring(xml)}


def ask(assistant: Assistant, xml: str) -> dict[str, str]:
    """POST a message in plain mode; the fields of the passive XML reply."""
    status, body = request(assistant, signed(), xml)
    assert status == 200, body
    return reply_fields(body)


def say(assistant: Assistant, openid: str, text: str) -> str:
    reply = ask(assistant, text_xml(openid, text))
    assert (reply["ToUserName"], reply["FromUserName"], reply["MsgType"]) == (openid, ACCOUNT, "text")
    return reply["Content"]


def user_turns(assistant: Assistant, openid: str) -> int:
    """The user messages in the WeChat conversation of ``openid`` in the tracker store (SQLite)."""
    with sqlite3.connect(assistant.state_dir / "tracker.db") as db:
        return db.execute("SELECT count(*) FROM events WHERE sender_id = ? AND type_name = 'user'",
                          (f"wechat:{openid}",)).fetchone()[0]
