"""Custom actions: thin wrappers that hand the turn to bot.dialogue and send back its reply."""

from __future__ import annotations

import asyncio
from abc import ABC, abstractmethod
from functools import lru_cache
from typing import Any, ClassVar

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot import heap
from bot.dialogue import feedback
from bot.dialogue.handoff import handoff
from bot.dialogue.turn import Reply, Turn, respond, warm
from bot.kb.store import KnowledgeBase

CARRIED_SLOTS = (
    "service",
    "region",
    "aspects",
    "region_hint",
    "offered",
    "insured_group",
    "city_only",
    "guide",
)
# The pipeline's only entity extractor (bot.nlu.components.KnowledgeBaseLinker, not imported: it needs rasa).
LINKER = "KnowledgeBaseLinker"


@lru_cache(maxsize=1)
def knowledge_base() -> KnowledgeBase:
    """The knowledge base, warmed (bot.dialogue.turn.warm) the first time: the action server asks for it
    when it loads this module, before it takes its first request."""
    kb = KnowledgeBase()
    warm(kb)
    heap.settle()  # what the action server holds from now on stays
    return kb


def send(dispatcher: CollectingDispatcher, reply: Reply, tracker: Tracker) -> list[EventType]:
    """The reply (`utter`), the slots it changes (each event is a row the tracker store writes and reads) and
    the answer it is; a new answer ends a run of feedback on the previous one."""
    utter(dispatcher, reply)
    changed = [SlotSet(name, value) for name, value in reply.slots.items() if tracker.get_slot(name) != value]
    events = changed + [SlotSet("answer", reply.meta)]
    return events + ([SlotSet("feedback", None)] if tracker.get_slot("feedback") else [])


def utter(dispatcher: CollectingDispatcher, reply: Reply) -> None:
    """The text (with buttons), then the same answer as data for channels that show more (custom payload)."""
    dispatcher.utter_message(text=reply.text, buttons=reply.buttons or None)
    dispatcher.utter_message(
        json_message={"yibao": reply.meta | {"card": reply.card, "buttons": reply.buttons}}
    )


def intent_of(tracker: Tracker) -> str | None:
    """The intent of the latest message (a ``/intent`` shortcut's too, which has no ranking)."""
    return ((tracker.latest_message or {}).get("intent") or {}).get("name")


def current_turn(tracker: Tracker) -> Turn:
    """The turn as bot.dialogue sees it. Only the linker's entities count: those a citizen types with Rasa's
    ``/intent{"entity": value}`` shortcut could be of any type (``{"choice": "x"}``, ``{"region": 5}``)."""
    message = tracker.latest_message or {}
    intent = message.get("intent") or {}
    entities = [e for e in message.get("entities") or [] if e.get("extractor") == LINKER]
    return Turn(
        text=message.get("text") or "",
        intent=intent.get("name"),
        confidence=intent.get("confidence") or 0.0,
        entities=entities,
        slots={name: tracker.get_slot(name) for name in CARRIED_SLOTS},
        metadata=message.get("metadata") or {},
    )


class YibaoAction(Action, ABC):
    """An action of this assistant, named by its ``NAME``; ``act`` sends the reply and returns the events (no
    action reads the domain)."""

    NAME: ClassVar[str]

    def name(self) -> str:
        return self.NAME

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        return await self.act(dispatcher, tracker)

    @abstractmethod
    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        """Send the reply; the events to apply."""


class ActionAnswer(YibaoAction):
    """Answer what was asked about a service, or ask back for what is missing."""

    NAME = "action_answer"

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        turn = current_turn(tracker)
        if feedback.is_feedback(turn.intent, tracker.get_slot("answer"), bool(turn.values("aspect"))):
            return await ActionFeedback().act(dispatcher, tracker)  # "不对" said of the answer
        reply = await asyncio.to_thread(respond, knowledge_base(), turn)
        return send(dispatcher, reply, tracker)


class ActionHandoff(YibaoAction):
    """转人工 and complaints: the local 投诉电话 where the guide lists one, else 12345."""

    NAME = "action_handoff"

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        turn = current_turn(tracker)
        region = (
            next(iter(turn.values("region")), None)
            or turn.slots.get("region")
            or turn.slots.get("region_hint")
        )
        service = next(iter(turn.values("service")), None) or turn.slots.get("service")
        reply = await asyncio.to_thread(handoff, knowledge_base(), service, region, turn.intent == "complain")
        return send(dispatcher, reply, tracker)


class ActionFeedback(YibaoAction):
    """What the citizen or operator says of the last answer, kept (slot ``feedback``) and answered."""

    NAME = "action_feedback"

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        message = tracker.latest_message or {}
        entities = message.get("entities") or []
        given = {e["entity"]: e.get("value") for e in entities if e.get("extractor") != LINKER}
        said = feedback.read(knowledge_base(), intent_of(tracker), given)
        previous = tracker.get_slot("feedback") or {}
        last_answer = tracker.get_slot("answer")
        reply = feedback.respond(knowledge_base(), said, last_answer, feedback.in_a_row(said, previous))
        utter(dispatcher, reply)
        if not feedback.worth_keeping(said, last_answer, previous):
            return []
        channel = tracker.get_latest_input_channel() or ""
        kept = feedback.record(said, asked_before(tracker), last_answer, channel, reply)
        return [SlotSet("feedback", kept)]


def asked_before(tracker: Tracker) -> str | None:
    """The text of the question before the latest message that was not itself feedback."""
    users = [e for e in reversed(tracker.events) if e.get("event") == "user"][1:]
    for event in users:
        intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
        if not feedback.is_feedback(intent, None) and intent != "deny":
            return event.get("text")
    return None


class ActionSessionStart(YibaoAction):
    """Start a session keeping the remembered slots, and take a region hint from the channel's metadata."""

    NAME = "action_session_start"

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        events: list[EventType] = [SessionStarted()]
        events += [SlotSet(name, tracker.get_slot(name)) for name in CARRIED_SLOTS if tracker.get_slot(name)]
        metadata = tracker.get_slot("session_started_metadata") or {}
        hint = metadata.get("region_hint")
        if hint:
            match = knowledge_base().resolver.resolve(str(hint))
            if match:
                events.append(SlotSet("region_hint", match.path))
        return events + [ActionExecuted("action_listen")]


knowledge_base()  # at the action server's start, not at the first citizen's question
