"""State the WeChat channel shares between server processes, in one SQLite file of the state folder.

- ``replies``: one row per incoming message (MsgId, or FromUserName+CreateTime), so that WeChat's retries of a
  message make one conversation turn and get the same answer. A row is ``pending`` while the turn runs, then
  ``done`` (its answer goes back as the passive reply, kept for retries) or ``api`` (the request stopped
  waiting: the answer goes out through the customer-service API).
- ``choices``: per user, what replying 1, 2, … to the last answer's numbered choices sends (WeChat has no
buttons).
- ``session``: wechatpy's session storage (the access token), with expiry.

Several servers on several hosts share one Redis instead (WECHAT_REDIS_URL, `RedisWeChatStore`): the same
records under ``yibao:wechat:…`` keys, each change of a message's state one atomic script.
"""

from __future__ import annotations

import json
import sqlite3
import time
from contextlib import closing
from pathlib import Path
from typing import Any, Protocol

import redis
from wechatpy.session import SessionStorage
from wechatpy.session.redisstorage import RedisStorage

KEEP_SECONDS = 24 * 3600  # how long a message's row is kept for deduplication

SCHEMA = """
CREATE TABLE IF NOT EXISTS replies (
    key TEXT PRIMARY KEY, state TEXT NOT NULL, reply TEXT, created REAL NOT NULL);
CREATE TABLE IF NOT EXISTS choices (openid TEXT PRIMARY KEY, payloads TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS session (key TEXT PRIMARY KEY, value TEXT NOT NULL, expires REAL);
"""


class Store(Protocol):
    """What the channel keeps between requests and servers (see the module's description)."""

    def claim(self, key: str) -> bool: ...
    def state(self, key: str) -> str | None: ...
    def finish(self, key: str, reply: str) -> bool: ...
    def settle(self, key: str) -> str | None: ...
    def choices(self, openid: str) -> list[str]: ...
    def offer(self, openid: str, payloads: list[str]) -> None: ...
    def session_storage(self) -> SessionStorage: ...


def open_store(state_dir: Path, redis_url: str = "") -> Store:
    """The Redis store when a URL is given (several hosts), else the SQLite file of the state folder."""
    return RedisWeChatStore(redis_url) if redis_url else WeChatStore(state_dir / "wechat.db")


class WeChatStore:
    """The ``replies`` table: which message is being answered, and how its answer goes out."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        with closing(self.connect()) as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(SCHEMA)

    def connect(self) -> sqlite3.Connection:
        """A connection in autocommit mode that waits for other processes' locks."""
        return sqlite3.connect(self.path, timeout=10, isolation_level=None)

    def claim(self, key: str) -> bool:
        """Start answering the message; False when it is already being (or was) answered."""
        now = time.time()
        with closing(self.connect()) as db:
            db.execute("DELETE FROM replies WHERE created < ?", (now - KEEP_SECONDS,))
            inserted = db.execute(
                "INSERT OR IGNORE INTO replies (key, state, created) VALUES (?, 'pending', ?)", (key, now)
            )
            return inserted.rowcount == 1

    def state(self, key: str) -> str | None:
        with closing(self.connect()) as db:
            row = db.execute("SELECT state FROM replies WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def finish(self, key: str, reply: str) -> bool:
        """Keep the answer as the passive reply; False when the request stopped waiting (send it by the API)
        ."""
        with closing(self.connect()) as db:
            updated = db.execute(
                "UPDATE replies SET state = 'done', reply = ? WHERE key = ? AND state = 'pending'",
                (reply, key),
            )
            return updated.rowcount == 1

    def settle(self, key: str) -> str | None:
        """The passive reply if the answer is there; else hand the answer to the API and return None."""
        with closing(self.connect()) as db:
            db.execute("UPDATE replies SET state = 'api' WHERE key = ? AND state = 'pending'", (key,))
            row = db.execute("SELECT state, reply FROM replies WHERE key = ?", (key,)).fetchone()
        return row[1] if row and row[0] == "done" else None

    def choices(self, openid: str) -> list[str]:
        """The payloads of the numbered choices last offered to the user."""
        with closing(self.connect()) as db:
            row = db.execute("SELECT payloads FROM choices WHERE openid = ?", (openid,)).fetchone()
        return json.loads(row[0]) if row else []

    def offer(self, openid: str, payloads: list[str]) -> None:
        """Remember the choices of the user's latest answer (none: a number is just a number again)."""
        with closing(self.connect()) as db:
            if payloads:
                db.execute(
                    "INSERT OR REPLACE INTO choices (openid, payloads) VALUES (?, ?)",
                    (openid, json.dumps(payloads, ensure_ascii=False)),
                )
            else:
                db.execute("DELETE FROM choices WHERE openid = ?", (openid,))

    def session_storage(self) -> SessionStorage:
        return SQLiteSessionStorage(self)


PREFIX = "yibao:wechat:"
# A message's record is a hash {state, reply}: pending → done (with the passive reply) or api.
CLAIM = """
if redis.call('HSETNX', KEYS[1], 'state', 'pending') == 1 then
  redis.call('EXPIRE', KEYS[1], ARGV[1])
  return 1
end
return 0
"""
FINISH = """
if redis.call('HGET', KEYS[1], 'state') == 'pending' then
  redis.call('HSET', KEYS[1], 'state', 'done', 'reply', ARGV[1])
  return 1
end
return 0
"""
SETTLE = """
if redis.call('HGET', KEYS[1], 'state') == 'pending' then redis.call('HSET', KEYS[1], 'state', 'api') end
if redis.call('HGET', KEYS[1], 'state') == 'done' then return redis.call('HGET', KEYS[1], 'reply') end
return false
"""


class RedisWeChatStore:
    """The same records in Redis, for servers on several hosts (deploy/README.md)."""

    def __init__(self, url: str) -> None:
        self.redis = redis.Redis.from_url(url, decode_responses=True)
        self._claim = self.redis.register_script(CLAIM)
        self._finish = self.redis.register_script(FINISH)
        self._settle = self.redis.register_script(SETTLE)

    def claim(self, key: str) -> bool:
        """Start answering the message; False when it is already being (or was) answered."""
        return bool(self._claim(keys=[f"{PREFIX}reply:{key}"], args=[KEEP_SECONDS]))

    def state(self, key: str) -> str | None:
        return self.redis.hget(f"{PREFIX}reply:{key}", "state")

    def finish(self, key: str, reply: str) -> bool:
        return bool(self._finish(keys=[f"{PREFIX}reply:{key}"], args=[reply]))

    def settle(self, key: str) -> str | None:
        return self._settle(keys=[f"{PREFIX}reply:{key}"]) or None

    def choices(self, openid: str) -> list[str]:
        value = self.redis.get(f"{PREFIX}choices:{openid}")
        return json.loads(value) if value else []

    def offer(self, openid: str, payloads: list[str]) -> None:
        name = f"{PREFIX}choices:{openid}"
        if payloads:
            self.redis.set(name, json.dumps(payloads, ensure_ascii=False), ex=KEEP_SECONDS)
        else:
            self.redis.delete(name)

    def session_storage(self) -> SessionStorage:
        """wechatpy's own Redis session storage (the access token, with its expiry)."""
        return RedisStorage(self.redis, prefix=f"{PREFIX}session")


class SQLiteSessionStorage(SessionStorage):
    """wechatpy session storage (access token) in the ``session`` table, shared by every process."""

    def __init__(self, store: WeChatStore) -> None:
        self.store = store

    def get(self, key: str, default: Any = None) -> Any:
        with closing(self.store.connect()) as db:
            row = db.execute(
                "SELECT value FROM session WHERE key = ? AND (expires IS NULL OR expires > ?)",
                (key, time.time()),
            ).fetchone()
        return json.loads(row[0]) if row else default

    def set(self, key: str, value: Any, ttl: int | None = None) -> None:
        if value is None:
            return
        expires = time.time() + ttl if ttl else None
        with closing(self.store.connect()) as db:
            db.execute(
                "INSERT OR REPLACE INTO session (key, value, expires) VALUES (?, ?, ?)",
                (key, json.dumps(value), expires),
            )

    def delete(self, key: str) -> None:
        with closing(self.store.connect()) as db:
            db.execute("DELETE FROM session WHERE key = ?", (key,))
