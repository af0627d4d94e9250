"""Each channel its own conversation ids: the tracker store's sender is the channel's name and the id the
channel was given (``wechat:`` + OpenID, ``rest:`` + sender, ``socketio:`` + session, ``hotline:`` + call).

So a REST client that sends a WeChat OpenID as its ``sender`` starts a conversation of its own instead of
continuing (and reading) that citizen's.
"""

from __future__ import annotations

SENDER_COLUMN = 255  # characters of the tracker store's sender_id column
MAX_PREFIX = 15  # the longest channel name and its colon
MAX_SENDER = SENDER_COLUMN - MAX_PREFIX  # characters of the id a client may give


def conversation_id(channel: str, sender: str) -> str:
    """The tracker store's id of ``sender``'s conversation on ``channel``."""
    prefix = f"{channel}:"
    assert len(prefix) <= MAX_PREFIX, channel
    return prefix + sender


def channel_of(conversation: str) -> str:
    """The channel a conversation id belongs to ("" for an id from before the prefixes)."""
    channel, colon, _ = conversation.partition(":")
    return channel if colon and len(channel) < MAX_PREFIX else ""
