"""The 12345 hotline helper: its JSON API, and the page driven from the keyboard in a real Chromium."""
from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path
from typing import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from running import Assistant, post_json, stored_feedback

SHAWAN, EMEI = "0833-3432615", "0833-5546541"


def call_id() -> str:
    return uuid.uuid4().hex[:12]


def ask(assistant: Assistant, call: str, text: str, **extra: str) -> dict:
    return post_json(assistant.url("pages", "/api/hotline/ask"), {"call_id": call, "text": text, **extra})


def request(assistant: Assistant, path: str, body: bytes | None = None) -> tuple[int, dict]:
    """Status and JSON body of a request, errors included."""
    req = urllib.request.Request(assistant.url("pages", path), body, {"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        assert error.headers.get_content_type() == "application/json"
        return error.code, json.loads(error.read())


def regions(assistant: Assistant, query: str) -> list[str]:
    status, body = request(assistant, "/api/hotline/regions?q=" + urllib.parse.quote(query))
    assert status == 200
    return [region["path"] for region in body["regions"]]


# ---- the API ----

def test_ask_answers_with_the_card_candidates_and_region(assistant: Assistant) -> None:
    answer = ask(assistant, call_id(), "沙湾区住院报销打哪个电话")
    assert SHAWAN in answer["text"] and answer["text"].splitlines()[-1].startswith("来源：《乐山市")
    assert answer["service"] == "住院费用报销" and answer["clarify"] is False
    assert answer["region"] == "四川省/乐山市/沙湾区" and answer["place"] == "乐山市沙湾区"
    assert answer["candidates"][0]["name"] == "住院费用报销" and len(answer["candidates"]) <= 3
    assert set(answer["candidates"][0]["evidence"]) == {"model", "phrase"}  # the model, and the phrase 住院报销
    card = answer["card"]
    assert card["contact"]["consult"] == [SHAWAN] and card["contact"]["complaint"]
    assert card["guide"]["year"] == 2024 and card["script"]
    assert {"materials", "time_limit", "steps"} <= {f["key"] for f in card["fields"]}


def test_follow_up_keeps_the_call_and_a_new_call_starts_afresh(assistant: Assistant) -> None:
    call = call_id()
    ask(assistant, call, "沙湾区住院报销打哪个电话")
    follow_up = ask(assistant, call, "那峨眉山呢？")
    assert EMEI in follow_up["text"] and follow_up["service"] == "住院费用报销"
    assert ask(assistant, call_id(), "那峨眉山呢？")["service"] is None


def test_picked_region_applies_to_the_question(assistant: Assistant) -> None:
    for region in ("峨眉山市", "四川省/乐山市/峨眉山市"):
        answer = ask(assistant, call_id(), "住院报销打哪个电话", region=region)
        assert answer["region"] == "四川省/乐山市/峨眉山市" and answer["card"]["contact"]["consult"] == [EMEI]


def test_region_search_by_pinyin_initials_and_name(assistant: Assistant) -> None:
    assert regions(assistant, "swq")[0] == "四川省/乐山市/沙湾区"
    assert regions(assistant, "SW Q")[0] == "四川省/乐山市/沙湾区"
    assert regions(assistant, "峨眉")[0] == "四川省/乐山市/峨眉山市"
    assert regions(assistant, "shawan")[0] == "四川省/乐山市/沙湾区"
    assert regions(assistant, "武汉")[0] == "湖北省/武汉市"
    listed = regions(assistant, "")  # no query: the places with their own phone numbers
    assert "四川省/乐山市/沙湾区" in listed and all(p.startswith(("四川省/乐山市", "四川省/达州市")) for p in listed)
    assert regions(assistant, "不存在的地方") == []


@pytest.mark.parametrize("body, status", [
    (b"{not json", 400),
    (b"\xff\xfe", 400),
    (b"", 400),
    (b"[]", 400),
    (json.dumps({"call_id": "c1"}).encode(), 400),
    (json.dumps({"call_id": "c1", "text": "   "}).encode(), 400),
    (json.dumps({"call_id": "c1", "text": 42}).encode(), 400),
    (json.dumps({"text": "住院报销"}).encode(), 400),
    (json.dumps({"call_id": "../etc", "text": "住院报销"}).encode(), 400),
    (json.dumps({"call_id": "c1", "text": "报" * 501}).encode(), 400),
    (json.dumps({"call_id": "c1", "text": "住院报销", "region": "火星"}).encode(), 400),
    (json.dumps({"call_id": "c1", "text": "住院报销", "region": ["沙湾区"]}).encode(), 400),
    (json.dumps({"call_id": "c1", "text": "报" * 100_000}).encode(), 413),
])
def test_bad_requests_get_a_clean_json_error(assistant: Assistant, body: bytes, status: int) -> None:
    got, answer = request(assistant, "/api/hotline/ask", body)
    assert got == status and answer["error"]


@pytest.mark.parametrize("path, status", [
    ("/api/hotline/regions?q=" + "x" * 51, 400),
    ("/api/hotline/regions?limit=many", 400),
    ("/api/hotline/nothing", 404),
])
def test_bad_region_queries_and_unknown_paths(assistant: Assistant, path: str, status: int) -> None:
    got, answer = request(assistant, path)
    assert got == status and answer["error"]


def test_the_operators_verdict_is_kept_with_the_call_as_a_labelled_example(assistant: Assistant) -> None:
    call = call_id()
    ask(assistant, call, "沙湾区住院报销打哪个电话")
    body = {"call_id": call, "right": False, "service": "异地长期居住人员备案", "region": "峨眉山"}
    assert "已记下更正" in post_json(assistant.url("pages", "/api/hotline/feedback"), body)["text"]
    kept = stored_feedback(assistant, f"hotline:{call}")[0]
    assert kept["label"] == {"service": "异地长期居住人员备案", "region": "四川省/乐山市/峨眉山市"}
    assert (kept["rating"], kept["question"], kept["answer"]["service"]) == ("down", "沙湾区住院报销打哪个电话",
                                                                             "住院费用报销")
    post_json(assistant.url("pages", "/api/hotline/feedback"), {"call_id": call, "right": True})
    assert stored_feedback(assistant, f"hotline:{call}", 2)[-1]["rating"] == "up"


@pytest.mark.parametrize("fields", [{"right": None}, {"right": "no"}, {"service": "没有的事项"}, {"service": 5},
                                    {"region": "火星"}, {"call_id": "a b"}])
def test_a_verdict_that_cannot_be_kept_is_refused(assistant: Assistant, fields: dict) -> None:
    body = {"call_id": "verdict-bad", "right": False, "service": "住院费用报销"} | fields
    got, answer = request(assistant, "/api/hotline/feedback", json.dumps(body).encode())
    assert got == 400 and answer["error"]


# ---- the page ----

@pytest.fixture
def hotline(assistant: Assistant, new_context: Callable[..., BrowserContext]) -> Page:
    context = new_context(viewport={"width": 1366, "height": 800})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=assistant.url("pages"))
    page = context.new_page()
    page.goto(assistant.url("pages", "/hotline/"))
    expect(page.locator("#question")).to_be_focused()
    return page


def consult_phone(page: Page) -> str:
    return page.locator(".contact dt:text-is('咨询电话') + dd .value").inner_text()


def test_type_then_enter_shows_the_number_and_alt_c_copies_it(hotline: Page, artifacts: Path) -> None:
    hotline.keyboard.type("沙湾区住院报销打哪个电话")
    hotline.keyboard.press("Enter")
    expect(hotline.locator(".contact dd.phone .value").first).to_have_text(SHAWAN)
    expect(hotline.locator("#region-current")).to_have_text("乐山市沙湾区")
    expect(hotline.locator(".candidate.chosen .name")).to_have_text("住院费用报销")
    expect(hotline.locator(".source")).to_contain_text("乐山市医疗保障经办政务服务事项办事指南（2024年版）")
    expect(hotline.locator(".script p")).to_contain_text(SHAWAN)
    hotline.keyboard.press("Alt+C")
    expect(hotline.locator("#toast")).to_contain_text(SHAWAN)
    assert hotline.evaluate("navigator.clipboard.readText()") == SHAWAN
    hotline.screenshot(path=artifacts / "hotline.png")


def test_follow_up_keeps_context_and_new_call_resets_it(hotline: Page) -> None:
    hotline.keyboard.type("沙湾区住院报销打哪个电话")
    hotline.keyboard.press("Enter")
    expect(hotline.locator(".contact dd.phone .value").first).to_have_text(SHAWAN)
    first_call = hotline.locator("#call-id").inner_text()
    hotline.keyboard.type("那峨眉山呢？")  # the question box keeps the focus, its text selected
    hotline.keyboard.press("Enter")
    expect(hotline.locator(".contact dd.phone .value").first).to_have_text(EMEI)
    expect(hotline.locator("#history li")).to_have_count(2)
    expect(hotline.locator("#asked")).to_have_text("2")

    hotline.keyboard.press("Alt+N")
    expect(hotline.locator("#history li")).to_have_count(0)
    assert hotline.locator("#call-id").inner_text() != first_call
    hotline.keyboard.type("那峨眉山呢？")
    hotline.keyboard.press("Enter")
    expect(hotline.locator("#asked")).to_have_text("1")
    expect(hotline.locator(".card-head")).to_have_count(0)  # a new caller: no service to carry over


def test_region_picker_changes_the_answer(hotline: Page) -> None:
    hotline.keyboard.type("沙湾区住院报销打哪个电话")
    hotline.keyboard.press("Enter")
    expect(hotline.locator(".contact dd.phone .value").first).to_have_text(SHAWAN)
    hotline.keyboard.press("Alt+R")
    hotline.keyboard.type("emss")
    expect(hotline.locator("#region-list li.active b")).to_have_text("峨眉山市")
    hotline.keyboard.press("Enter")
    expect(hotline.locator(".contact dd.phone .value").first).to_have_text(EMEI)
    expect(hotline.locator("#region-current")).to_have_text("乐山市峨眉山市")
    expect(hotline.locator("#question")).to_be_focused()
    assert consult_phone(hotline) == EMEI


def test_region_picked_first_goes_with_the_question(hotline: Page) -> None:
    hotline.locator("#region-search").fill("沙湾")
    expect(hotline.locator("#region-list li.active b")).to_have_text("沙湾区")
    hotline.locator("#region-search").press("Enter")
    hotline.keyboard.type("住院报销打哪个电话")
    hotline.keyboard.press("Enter")
    expect(hotline.locator(".contact dd.phone .value").first).to_have_text(SHAWAN)


def test_alt_digit_re_asks_with_another_candidate(hotline: Page) -> None:
    hotline.keyboard.type("在家种地的想交医保要带什么材料")  # answered with a card: the candidates are the numbered list
    hotline.keyboard.press("Enter")
    expect(hotline.locator(".card-head h2")).to_be_visible()
    candidates = hotline.locator(".candidate")
    expect(candidates.nth(1).locator("kbd")).to_have_text("Alt+2")
    second = candidates.nth(1).locator(".name").inner_text()
    hotline.keyboard.press("Alt+2")
    expect(hotline.locator(".card-head h2")).to_have_text(second)
    expect(hotline.locator(".field-materials.asked")).to_be_visible()  # still the materials that were asked


@pytest.mark.parametrize("pick", ["Alt+2", "2"])
def test_asking_back_numbers_its_choices_once_and_two_picks_the_second(hotline: Page, pick: str,
                                                                       artifacts: Path) -> None:
    """The assistant's choices (its buttons, in its order) are the one numbered list: shown as 1., 2., … with
    Alt+1, Alt+2, …; the candidates (in score order) lose their numbers meanwhile. Alt+2 and typing "2" both
    pick what is shown as 2."""
    hotline.keyboard.type("报销")
    hotline.keyboard.press("Enter")
    choices = hotline.locator("#answer .choice")
    expect(choices.first).to_be_visible()
    count = choices.count()
    assert count >= 2
    for n in range(count):
        expect(choices.nth(n).locator(".number")).to_have_text(f"{n + 1}.")
        expect(choices.nth(n).locator("kbd")).to_have_text(f"Alt+{n + 1}")
    shortcuts = hotline.locator(".side kbd, #answer kbd").all_inner_texts()
    assert [k for k in shortcuts if k[4:].isdigit()] == [f"Alt+{n + 1}" for n in range(count)]
    assert not any(line.lstrip()[:1].isdigit() for line in hotline.locator(".reply-text").inner_text().splitlines())
    second = choices.nth(1).locator(".title").inner_text()
    hotline.screenshot(path=artifacts / "hotline-ask-back.png")

    if pick.startswith("Alt+"):
        hotline.keyboard.press(pick)
    else:
        hotline.keyboard.type(pick)
        hotline.keyboard.press("Enter")
    expect(hotline.locator("#asked")).to_have_text("2")
    expect(hotline.locator("#history li .a").first).to_contain_text(second)  # the service now asked about


def test_caller_text_is_shown_as_text_never_run(hotline: Page) -> None:
    dialogs: list[str] = []
    hotline.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    attacks = ['<img src=x onerror="document.title=\'pwned\';alert(1)">', "<script>alert(2)</script>住院报销"]
    for attack in attacks:
        hotline.locator("#question").fill(attack)
        hotline.keyboard.press("Enter")
        expect(hotline.locator("#history li .q").first).to_have_text(attack)
        expect(hotline.locator("#answer")).not_to_have_attribute("aria-busy", "true")
    assert hotline.locator("#history img, #history script, #answer img, #answer script").count() == 0
    assert hotline.title() == "12345 医保热线助手" and not dialogs


def test_conflicting_guides_are_flagged(hotline: Page) -> None:
    hotline.keyboard.type("德阳职工基本医疗保险费趸缴要多久")  # 四川省 guide and 清单 disagree
    hotline.keyboard.press("Enter")
    expect(hotline.locator(".field-time_limit.asked")).to_contain_text("不超过5个工作日")
    expect(hotline.locator(".conflict")).to_contain_text("不超过3个工作日")


def test_what_another_guide_spells_out_is_shown_with_its_source(hotline: Page) -> None:
    """The 四川 guide names no APP for 异地安置备案; the 川渝 guide's 四川 channels complete it, labelled."""
    hotline.keyboard.type("成都的退休人员异地安置备案网上咋个办")
    hotline.keyboard.press("Enter")
    completed = hotline.locator(".completions .completion.field-channels")
    expect(completed).to_contain_text("四川医保")
    expect(completed.locator(".source")).to_contain_text("川渝")
    expect(completed).not_to_contain_text("渝快办")
    expect(hotline.locator(".completion.asked")).to_be_visible()


def test_alt_w_corrects_the_answer_and_alt_y_marks_it_right(assistant: Assistant, hotline: Page) -> None:
    hotline.keyboard.type("沙湾区住院报销打哪个电话")
    hotline.keyboard.press("Enter")
    expect(hotline.locator(".contact dd.phone .value").first).to_have_text(SHAWAN)
    call = hotline.locator("#call-id").inner_text()
    hotline.keyboard.press("Alt+W")
    expect(hotline.locator("#correct-service")).to_be_focused()
    expect(hotline.locator("#correct-region")).to_have_value("乐山市沙湾区")
    hotline.locator("#correct-service").select_option("none")
    hotline.locator("#correct-region").fill("峨眉山市")
    hotline.locator("#correct-region").press("Enter")
    expect(hotline.locator("#toast")).to_contain_text("已记下更正")
    expect(hotline.locator("#question")).to_be_focused()
    assert stored_feedback(assistant, f"hotline:{call}")[0]["label"] == {"service": "none",
                                                                          "region": "四川省/乐山市/峨眉山市"}
    hotline.keyboard.press("Enter")  # the same question again, then right
    expect(hotline.locator("#right")).to_be_enabled()
    hotline.keyboard.press("Alt+Y")
    expect(hotline.locator("#toast")).to_contain_text("已标记：答案正确")
    assert stored_feedback(assistant, f"hotline:{call}", 2)[-1]["rating"] == "up"
