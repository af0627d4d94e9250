"""The web chat widget in a real Chromium: socket.io to the running Rasa server, on a phone-sized screen."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from running import Assistant, stored_feedback

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


@pytest.fixture
def other_site(assistant: Assistant, foreign_site: Callable[..., str]) -> str:
    """A 医保局 page on another origin (its own loopback server) embedding the widget with one script tag."""
    tag = f'<script src="{assistant.url("pages", "/widget.js")}" data-server="{assistant.url("rasa")}"></script>'
    return foreign_site(f"<h1>某市医保局</h1>{tag}", title="某市医保局")


def open_chat(page: Page) -> None:
    if page.locator(".yb-launcher").is_visible():
        page.locator(".yb-launcher").click()
    expect(page.locator(".yb-status")).to_have_text("在线")


def ask(page: Page, text: str) -> None:
    page.locator(".yb-input").fill(text)
    page.locator(".yb-input").press("Enter")


def test_conversation_on_a_phone_survives_a_reload(assistant: Assistant, new_context: Callable[..., BrowserContext],
                                                   artifacts: Path) -> None:
    page = new_context(**PHONE).new_page()
    page.goto(assistant.url("pages", "/"))
    open_chat(page)
    panel = page.locator(".yb-panel").bounding_box()
    assert panel and (panel["width"], panel["height"]) == (390, 844)  # the whole screen on a phone

    ask(page, "备案")
    replies = page.locator(".yb-reply")
    expect(replies.first).to_be_visible()
    assert replies.count() >= 2
    chosen = replies.nth(1).inner_text()
    replies.nth(1).tap()
    expect(page.locator(".yb-user .yb-bubble").last).to_have_text(chosen)
    expect(replies).to_have_count(0)
    expect(page.locator(".yb-bot").last).to_contain_text(f"【{chosen}】")

    ask(page, "沙湾区的，住院报销打哪个电话")
    phone = page.locator("a.yb-tel", has_text="0833-3432615")
    expect(phone).to_have_attribute("href", "tel:08333432615")
    source = page.locator(".yb-source").last
    expect(source).to_be_visible()
    expect(source).to_have_text("来源：《乐山市医疗保障经办政务服务事项办事指南（2024年版）》")
    assert "来源" not in page.locator(".yb-bot .yb-bubble").last.inner_text()  # a line of its own, under the answer

    page.reload()
    expect(page.locator("a.yb-tel", has_text="0833-3432615")).to_be_visible()  # the messages are shown again
    open_chat(page)
    ask(page, "那峨眉山呢？")  # the same conversation: the service is remembered
    expect(page.locator("a.yb-tel", has_text="0833-5546541")).to_have_attribute("href", "tel:08335546541")
    page.screenshot(path=artifacts / "widget-phone.png")


def test_one_script_tag_on_another_site_and_text_stays_text(other_site: str,
                                                           new_context: Callable[..., BrowserContext]) -> None:
    page = new_context(viewport={"width": 1280, "height": 800}).new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(other_site)
    open_chat(page)

    attacks = ['<img src=x onerror="document.title=\'pwned\';alert(1)">', "<script>alert(2)</script>"]
    for attack in attacks:
        ask(page, attack)
        expect(page.locator(".yb-user .yb-bubble").last).to_have_text(attack)
        expect(page.locator(".yb-typing")).to_have_count(0)  # answered
    assert page.locator(".yb-log img, .yb-log script").count() == 0
    assert page.title() == "某市医保局" and not dialogs

    ask(page, "沙湾区住院报销打哪个电话")
    expect(page.locator("a.yb-tel", has_text="0833-3432615")).to_be_visible()


def test_thumbs_under_the_latest_answer_are_kept_with_the_reason(
        assistant: Assistant, new_context: Callable[..., BrowserContext]) -> None:
    page = new_context().new_page()
    page.goto(assistant.url("pages", "/"))
    open_chat(page)
    ask(page, "沙湾区住院报销打哪个电话")
    rate = page.locator(".yb-rate")
    expect(rate).to_have_count(1)
    expect(page.locator(".yb-msg.yb-bot").last.locator(".yb-tel").first).to_have_attribute("href", "tel:08333432615")
    page.get_by_role("button", name="没帮助").click()
    page.get_by_role("button", name="电话不对").click()
    expect(rate).to_contain_text("已记下：电话不对")
    session = page.evaluate("() => JSON.parse(localStorage.getItem(Object.keys(localStorage)[0])).sessionId")
    given, amended = stored_feedback(assistant, f"socketio:{session}", 2)
    assert (given["rating"], given["reason"], amended["reason"]) == ("down", None, "电话不对")
    assert amended["question"] == "沙湾区住院报销打哪个电话" and amended["answer"]["service"] == "住院费用报销"
    assert amended["channel"] == "socketio" and amended["in_a_row"] == 1

    ask(page, "峨眉山呢")  # a new answer: the bar moves under it, and the keyboard reaches it
    expect(page.locator(".yb-msg.yb-bot").last.locator(".yb-rate")).to_have_count(1)
    expect(rate).to_have_count(1)
    page.get_by_role("button", name="有帮助").focus()
    page.keyboard.press("Enter")
    assert stored_feedback(assistant, f"socketio:{session}", 3)[-1]["rating"] == "up"
