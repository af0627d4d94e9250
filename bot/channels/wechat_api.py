"""The customer-service message API of the official account (answers that miss the 5-second passive reply)."""

from __future__ import annotations

import asyncio
import logging
from urllib.parse import urljoin

from requests import RequestException
from wechatpy import WeChatClient
from wechatpy.exceptions import WeChatClientException
from wechatpy.session import SessionStorage

logger = logging.getLogger(__name__)

TIMEOUT = 10  # seconds for one API call


class WeChatApiClient(WeChatClient):
    """wechatpy's client with the API at ``api_base`` (wechatpy fetches the token from a fixed host)."""

    def __init__(self, appid: str, secret: str, api_base: str, session: SessionStorage) -> None:
        super().__init__(appid, secret, session=session, timeout=TIMEOUT)
        self.API_BASE_URL = urljoin(api_base, "cgi-bin/")

    def fetch_access_token(self) -> dict:
        return self._fetch_access_token(
            url=self.API_BASE_URL + "token",
            params={"grant_type": "client_credential", "appid": self.appid, "secret": self.secret},
        )


class CustomerService:
    """Sends text messages to a user, in order, off the event loop; failures are logged, not raised."""

    def __init__(self, client: WeChatApiClient) -> None:
        self.client = client

    async def send(self, openid: str, parts: list[str]) -> bool:
        """Send the parts one after the other; False (logged) when one could not be sent."""
        for part in parts:
            try:
                await asyncio.to_thread(self.client.message.send_text, openid, part)
            except (WeChatClientException, RequestException) as error:
                logger.warning("WeChat customer-service message to %s not sent: %s", openid, error)
                return False
        return True
