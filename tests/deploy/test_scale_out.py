"""Two Rasa servers sharing a PostgreSQL tracker store and a Redis lock store, as deploy/README.md describes.

`make scale-test` (about half a minute; skipped otherwise): Redis and PostgreSQL from Debian's packages, an action
server and two `rasa run` servers on loopback (deploy.scale_env). A conversation whose turns alternate between the
servers keeps its state; concurrent messages of one sender sent to both servers are handled one at a time, each
server's in the order they reached it; the conversations are in PostgreSQL, masked; WeChat's retries of a
message that reach two servers make one turn (the WeChat store in Redis).
"""
from __future__ import annotations

import json
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from typing import Any, Iterator

import pytest

from deploy.scale_env import Stack, scaled_stack
from bot.channels.wechat import WeChatSettings
from running import post_json
from wechat_client import ACCOUNT, reply_fields, signed, text_xml

pytestmark = pytest.mark.scale_out

# 住院费用报销's 咨询电话 in six 乐山 districts (the guide's table), one concurrent question each.
PHONES = {"市中区": "0833-2128816", "五通桥区": "0833-3300656", "犍为县": "0833-4253943",
          "井研县": "0833-3711339", "夹江县": "0833-5652429", "沐川县": "0833-4607230"}
# Seconds between the concurrent questions, so that each server receives its own in a known order and two servers
# never take a lock ticket in the same instant (Rasa's race, deploy/README.md). The first two go to one server 5 ms
# apart, so that the second is sent while the first is answered (a turn can take under 20 ms).
STAGGER = 0.02
FIRST_GAP = 0.005

Event = dict[str, Any]


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    with scaled_stack(instances=2) as running:
        yield running


def ask(url: str, sender: str, text: str) -> tuple[str, dict[str, Any]]:
    """The answer's text and data (REST channel)."""
    messages = post_json(f"{url}/webhooks/rest/webhook", {"sender": sender, "message": text}, timeout=60)
    answer = "\n".join(message["text"] for message in messages if message.get("text"))
    return answer, next(message["custom"]["yibao"] for message in messages if "custom" in message)


def tracker_events(stack: Stack, url: str, sender: str) -> list[Event]:
    """The conversation's events as a Rasa server reads them from the tracker store (HTTP API)."""
    with urllib.request.urlopen(f"{url}/conversations/rest:{sender}/tracker?token={stack.api_token}", timeout=30) as got:
        return json.loads(got.read())["events"]


def turns(events: list[Event]) -> list[tuple[Event, list[Event]]]:
    """Each user event with the events after it, up to the next user event."""
    found: list[tuple[Event, list[Event]]] = []
    for event in events:
        if event["event"] == "user":
            found.append((event, []))
        elif found:
            found[-1][1].append(event)
    return found


def test_turns_alternating_between_servers_keep_the_conversation(stack: Stack) -> None:
    a, b = stack.rasa_urls
    text, data = ask(a, "alternate", "沙湾区的，住院报销打哪个电话")
    assert "0833-3432615" in text and data["region"] == "四川省/乐山市/沙湾区"
    text, data = ask(b, "alternate", "那峨眉山呢？")  # B has the service from PostgreSQL only
    assert "0833-5546541" in text and "0833-3432615" not in text
    assert data["service"] == "住院费用报销" and data["region"] == "四川省/乐山市/峨眉山市"
    text, data = ask(a, "alternate", "要多久")
    assert "办理时限" in text
    assert data["service"] == "住院费用报销" and data["region"] == "四川省/乐山市/峨眉山市"


def test_concurrent_messages_of_one_sender_are_handled_one_at_a_time(stack: Stack) -> None:
    sender = "concurrent"
    questions = [(stack.rasa_urls[max(index - 1, 0) % 2], f"{district}住院报销打哪个电话")
                 for index, district in enumerate(PHONES)]
    lock_writes = stack.redis().info("commandstats")["cmdstat_set"]["calls"]

    def send(index: int) -> tuple[float, float, str]:
        time.sleep(FIRST_GAP + (index - 1) * STAGGER if index else 0)
        url, question = questions[index]
        sent = time.monotonic()
        text, _ = ask(url, sender, question)
        return sent, time.monotonic(), text

    with ThreadPoolExecutor(len(questions)) as pool:
        results = list(pool.map(send, range(len(questions))))

    for district, (_, _, text) in zip(PHONES, results):
        assert PHONES[district] in text
    for index in range(1, len(results)):  # each was sent while an earlier one was still unanswered
        assert results[index][0] < max(answered for _, answered, _ in results[:index])
    assert stack.redis().info("commandstats")["cmdstat_set"]["calls"] >= lock_writes + 2 * len(questions)
    assert not stack.redis().keys("yibao:lock:*")  # every lock released

    handled = turns(tracker_events(stack, stack.rasa_urls[0], sender))
    asked = [user["text"] for user, _ in handled]
    assert sorted(asked) == sorted(question for _, question in questions)
    previous_end = 0.0
    for user, after in handled:  # each question followed by its own answer, ending before the next began
        district = next(name for name in PHONES if user["text"].startswith(name))
        answers = "\n".join(event.get("text") or "" for event in after if event["event"] == "bot")
        assert PHONES[district] in answers
        assert not any(phone in answers for name, phone in PHONES.items() if name != district)
        assert after[-1]["event"] == "action" and after[-1]["name"] == "action_listen"
        assert user["timestamp"] >= previous_end
        previous_end = after[-1]["timestamp"]
    for url in stack.rasa_urls:  # each server's questions in the order it received them
        sent_here = [question for target, question in questions if target == url]
        assert [question for question in asked if question in sent_here] == sent_here


def test_conversations_are_in_postgresql_masked(stack: Stack) -> None:
    a, b = stack.rasa_urls
    ask(b, "stored", "我的手机号是13912345678，沙湾区住院报销打哪个电话")
    events = tracker_events(stack, a, "stored")
    with closing(stack.postgres()) as db, db.cursor() as cursor:
        cursor.execute("SELECT type_name, data FROM events WHERE sender_id = %s ORDER BY id", ("rest:stored",))
        rows = cursor.fetchall()
    assert [type_name for type_name, _ in rows] == [event["event"] for event in events]
    user_text = next(json.loads(data)["text"] for type_name, data in rows if type_name == "user")
    assert "[手机号]" in user_text and "13912345678" not in user_text
    for log in stack.rasa_logs():  # Rasa falls back to memory silently when the database fails
        assert "InMemoryTrackerStore" not in log.read_text(errors="replace")


def wechat(url: str, xml: str) -> tuple[int, str]:
    """POST a signed WeChat message (plain mode) to a server (its token: the environment's, as the stack's
    servers inherit it); the status and the body."""
    query = "&".join(f"{k}={v}" for k, v in signed(WeChatSettings.from_env().token).items())
    request = urllib.request.Request(f"{url}/webhooks/wechat/webhook?{query}", xml.encode())
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.status, response.read().decode()


def test_a_retried_wechat_message_that_reaches_two_servers_makes_one_turn(stack: Stack) -> None:
    a, b = stack.rasa_urls
    xml = text_xml("o-wx-scaled", "沙湾区的，住院报销打哪个电话", "5500000000000001")
    with ThreadPoolExecutor(2) as pool:
        first = pool.submit(wechat, a, xml)
        time.sleep(0.05)  # WeChat's retry, while the first attempt is being answered, to the other server
        retry = pool.submit(wechat, b, xml)
        replies = [first.result(), retry.result()]
    assert all(status == 200 for status, _ in replies)
    texts = [reply_fields(body)["Content"] for _, body in replies if body != "success"]
    assert texts and all("0833-3432615" in text for text in texts)
    assert all(reply_fields(body)["FromUserName"] == ACCOUNT for _, body in replies if body != "success")
    with closing(stack.postgres()) as db, db.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM events WHERE sender_id = %s AND type_name = 'user'",
                       ("wechat:o-wx-scaled",))
        assert cursor.fetchone()[0] == 1
    assert stack.redis_wechat().exists("yibao:wechat:reply:o-wx-scaled:5500000000000001")


def test_numbered_choices_offered_by_one_server_are_picked_on_another(stack: Stack) -> None:
    a, b = stack.rasa_urls
    asked = reply_fields(wechat(a, text_xml("o-wx-pick", "备案"))[1])["Content"]
    first = asked.split("1. ", 1)[1].split("\n", 1)[0]
    assert f"【{first}】" in reply_fields(wechat(b, text_xml("o-wx-pick", "1"))[1])["Content"]
