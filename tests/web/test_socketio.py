"""The socket.io channel the widget talks to (bot.web.rasa_socketio), spoken to by a python-socketio client."""
from __future__ import annotations

import uuid

from running import Assistant
from socketio_client import talk


def test_session_answers_quick_replies_and_the_answer_as_data(assistant: Assistant) -> None:
    session_id = uuid.uuid4().hex
    session, (clarify, answer) = talk(assistant.url("rasa"), session_id, ["备案", "沙湾区的，住院报销打哪个电话"])
    assert session == session_id
    asked = next(m for m in clarify if m.get("quick_replies"))
    assert len(asked["quick_replies"]) >= 2 and clarify[-1]["custom"]["yibao"]["clarify"] is True
    text = "\n".join(m["text"] for m in answer if "text" in m)
    assert "0833-3432615" in text and "来源：《乐山市" in text
    assert answer[-1]["custom"]["yibao"]["card"]["contact"]["consult"] == ["0833-3432615"]
    _, [follow_up] = talk(assistant.url("rasa"), session_id, ["那峨眉山呢？"])  # a new connection, the same session
    assert "0833-5546541" in "\n".join(m["text"] for m in follow_up if "text" in m)
