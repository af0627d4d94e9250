"""WeChat official-account channel: ``/webhooks/wechat/webhook`` on the Rasa server.

credentials.yml names it (``bot.channels.wechat.WeChatInput:``); its settings come from the environment, see
`WeChatSettings`. The conversation is ``wechat:`` + the user's OpenID: each user keeps one (and its region).

A message is answered by a passive XML reply (encrypted when the request was) if the answer is ready within
WECHAT_REPLY_TIMEOUT; otherwise the reply is ``success`` and the answer follows through the customer-service
API. WeChat's retries of a message (same MsgId) make one turn: see `bot.channels.wechat_store`.

When the answer hands the conversation to a person (转人工, or a second "不对" in a row: ``handoff`` in the
answer's data), the passive reply is WeChat's ``transfer_customer_service``, so that the official account's
human 客服 take over, and the answer's text (the local 咨询电话 and 12345, for when nobody is online)
follows by the customer-service API. WECHAT_TRANSFER=off turns the transfer off (then the text is the reply).
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from wechatpy.crypto import WeChatCrypto
from wechatpy.exceptions import InvalidSignatureException
from wechatpy.replies import TextReply, TransferCustomerServiceReply
from wechatpy.utils import check_signature

from bot import paths
from bot.channels import wechat_format as fmt
from bot.channels.senders import conversation_id
from bot.channels.wechat_api import CustomerService, WeChatApiClient
from bot.channels.wechat_store import open_store
from bot.dialogue import wording

logger = logging.getLogger(__name__)

MAX_BODY = 64 * 1024  # bytes; WeChat's messages are a few hundred
MAX_CLOCK_SKEW = 300  # seconds between a request's timestamp and now
RETRY_POLL = 0.1  # seconds between looks at a message another request is answering
REST_DELAY = 1.0  # seconds after a passive reply before the rest of a long answer goes out by the API
SILENT_EVENTS = {
    "unsubscribe",
    "location",
    "view",
    "view_miniprogram",
    "templatesendjobfinish",
    "masssendjobfinish",
}  # nobody reads a reply (VIEW: the menu opened a page)
GREETED_EVENTS = {"subscribe", "scan", "click"}  # a follow, a QR code or a menu: say what can be asked
QR_SCENE = "qrscene_"  # what a subscribe by a QR code puts before the code's scene
TRANSFER = "<transfer_customer_service>"  # kept as the passive reply: hand the conversation to a person

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


class BadRequest(Exception):
    """A request to refuse, with its HTTP status."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status


@dataclass(frozen=True)
class WeChatSettings:
    """The channel's settings, from the environment (defaults in brackets).

    WECHAT_TOKEN [yibao-dev-token], WECHAT_AES_KEY (43 characters; needed for safe mode), WECHAT_APPID and
    WECHAT_SECRET (needed for safe mode and the customer-service API), WECHAT_API_BASE
    [https://api.weixin.qq.com/], WECHAT_REPLY_TIMEOUT [4.5] seconds, YIBAO_STATE_DIR [.state] (wechat.db),
    WECHAT_TRANSFER [on] (hand over to the account's human 客服; needs the customer-service API),
    WECHAT_REDIS_URL [none: wechat.db] (redis://:password@host:port/db, the store shared by several hosts).
    """

    token: str
    aes_key: str
    appid: str
    secret: str
    api_base: str
    reply_timeout: float
    state_dir: Path
    transfer: bool = True
    redis_url: str = ""

    @classmethod
    def from_env(cls) -> WeChatSettings:
        env = os.environ
        settings = cls(
            env.get("WECHAT_TOKEN") or "yibao-dev-token",
            env.get("WECHAT_AES_KEY", ""),
            env.get("WECHAT_APPID", ""),
            env.get("WECHAT_SECRET", ""),
            env.get("WECHAT_API_BASE") or "https://api.weixin.qq.com/",
            float(env.get("WECHAT_REPLY_TIMEOUT") or 4.5),
            Path(env.get("YIBAO_STATE_DIR") or paths.ROOT / ".state"),
            env.get("WECHAT_TRANSFER", "on").lower() not in ("off", "0", "false", "no"),
            env.get("WECHAT_REDIS_URL", ""),
        )
        if settings.aes_key and (len(settings.aes_key) != 43 or not settings.appid):
            raise ValueError("WECHAT_AES_KEY must have 43 characters and needs WECHAT_APPID")
        return settings


@dataclass(frozen=True)
class Incoming:
    """One message or event pushed by WeChat."""

    openid: str
    account: str
    msg_type: str
    event: str
    text: str
    msg_id: str
    create_time: str
    event_key: str = ""

    @classmethod
    def from_fields(cls, fields: dict[str, str]) -> Incoming:
        if not fields.get("FromUserName") or not fields.get("MsgType"):
            raise BadRequest(400, "not a WeChat message")
        msg_type = fields["MsgType"].lower()
        event = fields.get("Event", "").lower()
        event_key = fields.get("EventKey", "").strip()
        text = fields.get("Recognition" if msg_type == "voice" else "Content", "").strip()
        if event in GREETED_EVENTS:
            text = question_of_key(event_key.removeprefix(QR_SCENE))
        return cls(
            fields["FromUserName"],
            fields.get("ToUserName", ""),
            msg_type,
            event,
            text,
            fields.get("MsgId", ""),
            fields.get("CreateTime", ""),
            event_key,
        )

    @property
    def key(self) -> str:
        """What WeChat's retries of this message share: its MsgId; an event (which has none) by its time, type
        and key, so that two events in one second (subscribe, then a menu click) are two."""
        if self.msg_id:
            return f"{self.openid}:{self.msg_id}"
        return f"{self.openid}:{self.create_time}:{self.event}:{self.event_key}"

    def canned(self) -> str | None:
        """The fixed reply to anything but a question in text or voice, a menu key or a QR code's scene that
        reads as one; None for a question."""
        if self.msg_type == "event":
            if self.text:
                return None
            return wording.WELCOME if self.event in GREETED_EVENTS else wording.UNSUPPORTED
        if self.msg_type not in ("text", "voice"):
            return wording.UNSUPPORTED
        if not self.text:
            return wording.UNHEARD if self.msg_type == "voice" else wording.EMPTY
        return None


def question_of_key(key: str) -> str:
    """A menu key or QR scene that names a matter in Chinese (``门诊慢特病``, ``峨眉山市异地就医备案``) is
    asked as a question; a code (``V1001_MENU``, ``42``) is not."""
    return key if re.search(r"[\u4e00-\u9fff]", key) else ""


def parse_xml(body: bytes | str) -> dict[str, str]:
    """The fields of a WeChat XML message; DTDs and entities (XML bombs) are refused, never expanded."""
    try:
        root = fromstring(body, forbid_dtd=True)
    except (ParseError, DefusedXmlException, ValueError) as error:
        raise BadRequest(400, f"bad XML: {error}") from error
    return {child.tag: (child.text or "") for child in root}


class WeChatInput(InputChannel):
    """Receives WeChat's pushes, answers through Rasa, replies passively or by the customer-service API."""

    @classmethod
    def name(cls) -> str:
        return "wechat"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> WeChatInput:
        """Settings come from the environment, so credentials.yml holds no secret."""
        return cls(WeChatSettings.from_env())

    def __init__(self, settings: WeChatSettings) -> None:
        self.settings = settings
        self.store = open_store(settings.state_dir, settings.redis_url)
        self.crypto = (
            WeChatCrypto(settings.token, settings.aes_key, settings.appid) if settings.aes_key else None
        )
        self.api = (
            CustomerService(
                WeChatApiClient(
                    settings.appid, settings.secret, settings.api_base, self.store.session_storage()
                )
            )
            if settings.appid and settings.secret
            else None
        )
        self.tasks: set[asyncio.Task] = set()

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        webhook = Blueprint("wechat_webhook")

        @webhook.route("/webhook", methods=["GET"])
        async def verify(request: Request) -> HTTPResponse:
            try:
                self.check_signature(request)
            except BadRequest as refused:
                return response.text(str(refused), status=refused.status)
            return response.text(request.args.get("echostr", ""))

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                self.check_signature(request)
                incoming = self.incoming(request)
            except BadRequest as refused:
                logger.info("WeChat request refused: %s", refused)
                return response.text(str(refused), status=refused.status)
            if incoming.msg_type == "event" and incoming.event in SILENT_EVENTS:
                return response.text("success")
            reply = await self.passive_reply(on_new_message, incoming)
            return self.render(request, incoming, reply)

        return webhook

    def check_signature(self, request: Request) -> None:
        """WeChat's signature of the request (token, timestamp, nonce), with a recent timestamp."""
        args = request.args
        timestamp = args.get("timestamp", "")
        try:
            check_signature(self.settings.token, args.get("signature", ""), timestamp, args.get("nonce", ""))
        except InvalidSignatureException as error:
            raise BadRequest(403, "bad signature") from error
        if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > MAX_CLOCK_SKEW:
            raise BadRequest(403, "stale timestamp")

    def incoming(self, request: Request) -> Incoming:
        """The message of a POST, decrypted in safe mode (``encrypt_type=aes``)."""
        if len(request.body) > MAX_BODY:
            raise BadRequest(413, "body too large")
        fields = parse_xml(request.body)
        if request.args.get("encrypt_type", "raw") == "aes":
            fields = parse_xml(self.decrypt(request, fields))
        return Incoming.from_fields(fields)

    def decrypt(self, request: Request, fields: dict[str, str]) -> str:
        if not self.crypto:
            raise BadRequest(400, "safe mode needs WECHAT_AES_KEY")
        args = request.args
        try:
            return self.crypto.decrypt_message(
                {"Encrypt": fields.get("Encrypt", "")},
                args.get("msg_signature", ""),
                args.get("timestamp", ""),
                args.get("nonce", ""),
            )
        except InvalidSignatureException as error:
            raise BadRequest(403, "bad msg_signature") from error
        except Exception as error:  # wechatpy raises bare errors on bad base64, padding or app id
            raise BadRequest(400, "cannot decrypt") from error

    def render(self, request: Request, incoming: Incoming, reply: str | None) -> HTTPResponse:
        """The passive reply as XML, encrypted like the request; ``success`` when the answer goes by the
        API."""
        if reply is None:
            return response.text("success")
        if reply == TRANSFER:
            xml = TransferCustomerServiceReply(source=incoming.account, target=incoming.openid).render()
        else:
            xml = TextReply(source=incoming.account, target=incoming.openid, content=reply).render()
        if request.args.get("encrypt_type", "raw") == "aes" and self.crypto is not None:
            xml = self.crypto.encrypt_message(xml, request.args.get("nonce", ""))
        return response.text(xml, content_type="application/xml")

    async def passive_reply(self, on_new_message: OnNewMessage, incoming: Incoming) -> str | None:
        """The answer if it is ready in time (also for a retry of the message); None when it goes by the
        API."""
        try:
            if self.store.claim(incoming.key):
                task = asyncio.ensure_future(self.process(on_new_message, incoming))
                self.tasks.add(task)
                task.add_done_callback(self.tasks.discard)
                await asyncio.wait({task}, timeout=self.settings.reply_timeout)
            else:
                await self.wait_for_answer(incoming.key)
        finally:  # also when WeChat hangs up: then the answer goes by the API
            reply = self.store.settle(incoming.key)
        return reply

    async def wait_for_answer(self, key: str) -> None:
        """Wait while another request (maybe in another process) answers the same message."""
        deadline = time.monotonic() + self.settings.reply_timeout
        while self.store.state(key) == "pending" and time.monotonic() < deadline:
            await asyncio.sleep(RETRY_POLL)

    async def process(self, on_new_message: OnNewMessage, incoming: Incoming) -> None:
        """Answer the message; the first part (or the transfer to a person) is the passive reply unless the
        request stopped waiting."""
        text, handoff = await self.answer(on_new_message, incoming)
        transfer = handoff and self.settings.transfer and self.api is not None
        parts = self.fit(wording.TRANSFERRING + text if transfer else text)
        if self.store.finish(incoming.key, TRANSFER if transfer else parts[0]):
            parts = parts if transfer else parts[1:]
            if parts:
                await asyncio.sleep(REST_DELAY)
        if not parts:
            return
        if self.api is None:
            logger.warning(
                "WeChat answer to %s not delivered: WECHAT_APPID/WECHAT_SECRET not set", incoming.openid
            )
            return
        await self.api.send(incoming.openid, parts)

    async def answer(self, on_new_message: OnNewMessage, incoming: Incoming) -> tuple[str, bool]:
        """The assistant's answer as plain text (one conversation turn), or the fixed reply; and whether it
        hands the conversation to a person.

        A number picks one of the choices of the user's previous answer, as pressing its button would."""
        canned = incoming.canned()
        if canned:
            return canned, False
        text = fmt.picked(incoming.text, self.store.choices(incoming.openid))
        collector = CollectingOutputChannel()
        try:
            sender = conversation_id(self.name(), incoming.openid)
            await on_new_message(UserMessage(text, collector, sender, input_channel=self.name()))
        except Exception:
            logger.exception("WeChat message from %s not answered", incoming.openid)
            return wording.APOLOGY, False
        answer, choices = fmt.answer(collector.messages)
        self.store.offer(incoming.openid, choices)
        return answer or wording.APOLOGY, fmt.hands_over(collector.messages)

    def fit(self, text: str) -> list[str]:
        """The text in messages WeChat takes; without the customer-service API, only the first, marked as
        cut."""
        parts = fmt.split(text)
        if len(parts) > 1 and self.api is None:
            return [fmt.split(text, fmt.MAX_BYTES - len(wording.CUT_NOTE.encode()))[0] + wording.CUT_NOTE]
        return parts
