"""The stock bot's one custom action: the message's text back, through the action server."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher


class ActionEcho(Action):
    def name(self) -> str:
        return "action_echo"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        dispatcher.utter_message(text=(tracker.latest_message or {}).get("text") or "")
        return []
