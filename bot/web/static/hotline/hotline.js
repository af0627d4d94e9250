/*
 * 12345 hotline helper: one call is one conversation of the assistant (POST /api/hotline/ask with the call's id),
 * so follow-up questions keep the service and the place; "新来电" starts another. Keyboard first: the question
 * box has the focus, Enter asks, Alt+key copies a part of the answer (see the footer), Alt+digit picks the
 * numbered choice of that number, Alt+Y / Alt+W mark the answer right or wrong (POST /api/hotline/feedback;
 * when wrong, with the right service and place: a labelled example for the review). Everything from the
 * assistant or the caller is inserted as text.
 */
(function () {
  "use strict";

  var $ = function (id) { return document.getElementById(id); };
  var ui = {
    form: $("ask-form"), question: $("question"), candidates: $("candidates"), regionNow: $("region-current"),
    regionSearch: $("region-search"), regionList: $("region-list"), history: $("history"), answer: $("answer"),
    callId: $("call-id"), asked: $("asked"), newCall: $("new-call"), toast: $("toast"),
    right: $("right"), wrong: $("wrong"), correction: $("correction"), correctService: $("correct-service"),
    correctRegion: $("correct-region")
  };
  var MAIN_FIELDS = ["materials", "time_limit", "steps", "channels", "online", "conditions"];
  var FIELD_KEYS = {materials: "KeyM", time_limit: "KeyL", steps: "KeyG"};
  var CONTACT_ROWS = [
    {key: "consult", label: "咨询电话", code: "KeyC"}, {key: "complaint", label: "投诉电话", code: "KeyT"},
    {key: "place", label: "办理地点", code: "KeyP"}, {key: "hours", label: "办理时间", code: "KeyH"}
  ];
  var FIELD_NAMES = {time_limit: "办理时限", materials: "办理材料", steps: "办理流程"};
  // What the caller asked (the card's aspects) → the parts of the card that answer it: the card payload's
  // aspect_parts (bot/dialogue/aspect_parts.py), the table the answer text is composed from.
  function partsOf(card, aspect) {
    var part = (card.aspect_parts || {})[aspect];
    if (!part) return [];
    return part.fields.map(function (key) { return ".field-" + key; }).concat(part.contact ? [".contact"] : []);
  }

  var call = null;      // {id, asked}
  var last = null;      // the last answer shown
  var lastText = "";    // the last question asked
  var pickedRegion = null; // a region picked before any question: goes with the next one
  var copyable = {};    // event.code → {label, text}
  var picks = [];       // what Alt+1, Alt+2, … do: the numbered choices on screen, in their order
  var sequence = 0;     // answers of older requests are dropped
  var regionMatches = [];
  var regionActive = -1;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function kbd(code) {
    return el("kbd", null, "Alt+" + code.replace(/^(Key|Digit)/, ""));
  }

  function newCallId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID().slice(0, 8);
    return Math.random().toString(16).slice(2, 10);
  }

  function startCall(id) {
    call = {id: id || newCallId(), asked: 0};
    sessionStorage.setItem("yibao-hotline-call", call.id);
    last = null;
    lastText = "";
    pickedRegion = null;
    copyable = {};
    picks = [];
    sequence += 1;
    ui.callId.textContent = call.id;
    ui.asked.textContent = "0";
    ui.history.textContent = "";
    ui.candidates.replaceChildren(el("li", "muted", "尚未查询"));
    ui.regionNow.textContent = "未识别";
    ui.answer.replaceChildren(el("p", "muted", "新来电：输入来电人的问题后按回车。"));
    enableVerdict(false);
    focusQuestion();
  }

  function focusQuestion() {
    ui.question.focus();
    ui.question.select();
  }

  function toast(message) {
    ui.toast.textContent = message;
    ui.toast.hidden = false;
    clearTimeout(toast.timer);
    toast.timer = setTimeout(function () { ui.toast.hidden = true; }, 2200);
  }

  function copy(label, text) {
    var done = function () { toast("已复制" + label + "：" + text); };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { copyByCommand(text) && done(); });
    } else if (copyByCommand(text)) {
      done();
    }
  }

  function copyByCommand(text) {
    var area = el("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "offscreen";
    document.body.append(area);
    area.select();
    var ok = document.execCommand("copy");
    area.remove();
    if (!ok) toast("复制失败，请手动选择文字");
    return ok;
  }

  function copyButton(label, text, code) {
    var button = el("button", "copy", "复制");
    button.type = "button";
    button.title = "复制" + label;
    if (code) {
      button.append(" ", kbd(code));
      copyable[code] = {label: label, text: text};
    }
    button.addEventListener("click", function () { copy(label, text); });
    return button;
  }

  // ---- asking ----

  /** Ask the assistant; `region` (a path) goes along as the operator's pick for this question. */
  function ask(text, region, shown) {
    text = text.trim();
    if (!text) return;
    var mine = ++sequence;
    var body = {call_id: call.id, text: text};
    var pick = region || pickedRegion;
    if (pick) body.region = pick;
    pickedRegion = null;
    lastText = shown === undefined ? text : lastText;
    var entry = el("li");
    entry.append(el("span", "q", shown || text));
    ui.history.prepend(entry);
    ui.answer.setAttribute("aria-busy", "true");
    ui.answer.replaceChildren(el("p", "muted", "查询中…"));
    fetch("/api/hotline/ask", {method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify(body)})
      .then(function (response) {
        return response.json().then(function (data) {
          if (!response.ok) throw new Error(data.error || ("HTTP " + response.status));
          return data;
        });
      })
      .then(function (data) {
        if (mine !== sequence) return;
        call.asked += 1;
        ui.asked.textContent = String(call.asked);
        entry.append(el("span", "a", [data.service, data.place].filter(Boolean).join(" · ") || "（追问/未识别）"));
        show(data);
      })
      .catch(function (error) {
        if (mine !== sequence) return;
        entry.append(el("span", "a error", "失败"));
        ui.answer.replaceChildren(el("p", "error", "查询失败：" + error.message));
      })
      .finally(function () {
        if (mine === sequence) ui.answer.removeAttribute("aria-busy");
      });
  }

  function reaskWithService(candidate) {
    ask(candidate.name, last.region, "［换事项］" + candidate.name);
  }

  function pickNumber(number) {
    if (picks[number - 1]) picks[number - 1]();
  }

  /** One of the choices the assistant asked back with (it keeps their order: typing "2" picks the second). */
  function choose(button) {
    ask(button.payload || button.title, null, button.title);
  }

  function reaskWithRegion(region) {
    ui.regionNow.textContent = region.place + "（已选）";
    if (!last) {
      pickedRegion = region.path;
      toast("已选地区：" + region.place + "，随下一个问题查询");
      return;
    }
    // The service asked about, in the picked place; the question itself may name another place.
    ask(last.service || lastText, region.path, "［换地区］" + region.place);
  }

  // ---- right or wrong ----

  function enableVerdict(on) {
    ui.right.disabled = ui.wrong.disabled = !on;
    ui.correction.hidden = true;
  }

  /** Say whether the latest answer was right; when wrong, `service` and `region` are the right ones. */
  function verdict(right, service, region) {
    if (!last) return;
    var body = {call_id: call.id, right: right};
    if (service) body.service = service;
    if (region) body.region = region;
    fetch("/api/hotline/feedback", {method: "POST", headers: {"Content-Type": "application/json"},
                                    body: JSON.stringify(body)})
      .then(function (response) {
        return response.json().then(function (data) {
          if (!response.ok) throw new Error(data.error || ("HTTP " + response.status));
          enableVerdict(false);
          toast(right ? "已标记：答案正确" : "已记下更正：" + [service, region].filter(Boolean).join(" · "));
          focusQuestion();
        });
      })
      .catch(function (error) { toast("标记失败：" + error.message); });
  }

  /** The correction form: the service among the candidates and choices (or none of them), the place. */
  function correct() {
    if (!last) return;
    var names = last.candidates.map(function (c) { return c.name; })
      .concat(last.buttons.map(function (b) { return b.title; }), last.service ? [last.service] : []);
    ui.correctService.textContent = "";
    names.filter(function (name, index) { return name && names.indexOf(name) === index; })
      .forEach(function (name) { ui.correctService.append(new Option(name, name)); });
    ui.correctService.append(new Option("以上都不是（不属于任何事项）", "none"));
    ui.correctRegion.value = last.place || "";
    ui.correction.hidden = false;
    ui.correctService.focus();
  }

  ui.right.addEventListener("click", function () { verdict(true); });
  ui.wrong.addEventListener("click", correct);
  ui.correction.addEventListener("submit", function (event) {
    event.preventDefault();
    verdict(false, ui.correctService.value, ui.correctRegion.value.trim());
  });

  // ---- the answer ----

  function show(data) {
    last = data;
    copyable = {};
    enableVerdict(true);
    // One numbering: when the assistant asks back, its choices are the numbered list; else the candidates.
    var asksBack = !data.card && data.buttons.length > 0;
    picks = asksBack ? data.buttons.map(function (button) { return function () { choose(button); }; }) :
      data.candidates.map(function (candidate) { return function () { reaskWithService(candidate); }; });
    showCandidates(data, !asksBack);
    ui.regionNow.textContent = data.place || (data.region ? data.region : "未识别");
    var parts = data.card ? card(data.card) : [reply(data)];
    ui.answer.replaceChildren.apply(ui.answer, parts);
    if (data.card) markAsked(data.card);
  }

  /** Outline the parts of the card that answer the question, and bring the first into view. */
  function markAsked(data) {
    var selectors = (data.aspects || []).reduce(function (all, aspect) {
      return all.concat(partsOf(data, aspect));
    }, []);
    var asked = selectors.length ? ui.answer.querySelectorAll(selectors.join(",")) : [];
    Array.prototype.forEach.call(asked, function (part) { part.classList.add("asked"); });
    if (asked.length) asked[0].scrollIntoView({block: "nearest"});
  }

  /** The linker's candidates; with their Alt+digit only when they are the numbered list (`numbered`). */
  function showCandidates(data, numbered) {
    ui.candidates.textContent = "";
    if (!data.candidates.length) {
      ui.candidates.append(el("li", "muted", data.service ? "沿用：" + data.service : "未识别出事项"));
    }
    data.candidates.forEach(function (candidate, index) {
      var item = el("li");
      var button = el("button", "candidate" + (candidate.name === data.service ? " chosen" : ""));
      button.type = "button";
      if (numbered) button.append(kbd("Digit" + (index + 1)), " ");
      button.append(el("span", "name", candidate.name), " ",
        el("span", "score", Math.round(candidate.score * 100) + "%"));
      button.addEventListener("click", function () { reaskWithService(candidate); });
      item.append(button);
      ui.candidates.append(item);
    });
  }

  /** Text answers (asking back, no card): the text, and the choices numbered as the assistant counts them. */
  function reply(data) {
    var box = el("article", "reply");
    box.append(el("p", "reply-text", data.text || "（没有答复）"));
    if (data.buttons.length) {
      var choices = el("ol", "choices");
      data.buttons.forEach(function (button, index) {
        var choice = el("button", "choice");
        choice.type = "button";
        choice.append(el("span", "number", (index + 1) + "."), " ", el("span", "title", button.title), " ",
          kbd("Digit" + (index + 1)));
        choice.addEventListener("click", function () { choose(button); });
        var item = el("li");
        item.append(choice);
        choices.append(item);
      });
      box.append(choices, el("p", "muted", "点选、按 Alt+序号，或在问题框输入序号后回车。"));
    }
    return box;
  }

  function card(c) {
    var parts = [];
    var head = el("header", "card-head");
    head.append(el("h2", null, c.service), el("span", "place", c.place || "未指定地区（省级指南）"));
    parts.push(head);
    var year = c.guide.year && String(c.guide.title).indexOf(String(c.guide.year)) < 0 ? "（" + c.guide.year + "年）" : "";
    parts.push(el("p", "source", "来源：《" + c.guide.title + "》" + year));
    c.conflicts.forEach(function (conflict) {
      parts.push(el("p", "conflict", "⚠ " + (FIELD_NAMES[conflict.field] || conflict.field) + "说法不一：本指南为“" +
        conflict.value + "”，《" + conflict.other_short + "》为“" + conflict.other_value + "”，以经办机构答复为准。"));
    });
    c.notes.forEach(function (note) { parts.push(el("p", "note", note)); });
    parts.push(contact(c));
    if (c.district_contacts.length) parts.push(districts(c.district_contacts));
    var groups = groupFields(c.fields);
    MAIN_FIELDS.forEach(function (key) { if (groups[key]) parts.push(field(groups[key])); });
    var more = Object.keys(groups).filter(function (key) { return MAIN_FIELDS.indexOf(key) < 0 && key !== "name"; });
    if (more.length) {
      var details = el("details", "more");
      details.append(el("summary", null, "更多：" + more.map(function (key) { return label(groups[key][0]); }).join("、")));
      more.forEach(function (key) { details.append(field(groups[key])); });
      parts.push(details);
    }
    if (c.completions.length) parts.push(completions(c.completions));
    var script = el("section", "script");
    var title = el("h3", null, "朗读稿");
    title.append(copyButton("朗读稿", c.script, "KeyS"));
    script.append(title, el("p", null, c.script));
    parts.push(script);
    return parts;
  }

  function contact(c) {
    var box = el("section", "contact");
    var info = c.contact;
    if (!c.place) {
      box.append(el("p", "note", "未指定地区：以上为省级指南的规定。问清来电人所在的市或区县（Alt+R 选地区）可查当地电话。"));
      return box;
    }
    if (info && /parent/.test(c.contact_level)) {
      box.append(el("p", "note", "指南没有单列" + c.place + "，以下是" + (info.area || "上级") + "的信息。"));
    }
    var list = el("dl");
    CONTACT_ROWS.forEach(function (row) {
      var value = info ? info[row.key] : null;
      var text = Array.isArray(value) ? value.join("、") : value;
      var term = el("dt", null, row.label);
      var detail = el("dd", row.key === "consult" || row.key === "complaint" ? "phone" : null);
      if (text) {
        detail.append(el("span", "value", text), copyButton(row.label, text, row.code));
      } else {
        detail.append(el("span", "missing", row.key === "consult" ?
          "指南未列出，可转 12345 或当地医保经办机构" : "指南未列出"));
      }
      list.append(term, detail);
    });
    box.append(list);
    return box;
  }

  function districts(rows) {
    var details = el("details", "districts");
    details.append(el("summary", null, "各区县电话（" + rows.length + "）"));
    var table = el("table");
    var head = el("tr");
    ["区县", "咨询电话", "投诉电话"].forEach(function (name) { head.append(el("th", null, name)); });
    table.append(head);
    rows.forEach(function (row) {
      var line = el("tr");
      [row.area, row.consult.join("、"), row.complaint.join("、")].forEach(function (value) {
        line.append(el("td", null, value || "—"));
      });
      table.append(line);
    });
    details.append(table);
    return details;
  }

  /** What this guide leaves generic and another guide covering the place spells out (card.completions). */
  function completions(rows) {
    var box = el("section", "completions");
    box.append(el("h3", null, "其他指南的补充"));
    var groups = groupFields(rows, function (f) { return f.guide + "\n" + f.key; });
    Object.keys(groups).forEach(function (group) {
      var values = groups[group];
      var part = field(values, false);  // the card's own field keeps the shortcut
      part.classList.add("completion");
      part.querySelector("h3").after(el("p", "source", "来源：《" + values[0].guide + "》"));
      box.append(part);
    });
    return box;
  }

  /** Fields grouped by their key, or by what `keyOf` says. */
  function groupFields(fields, keyOf) {
    var groups = {};
    fields.forEach(function (f) {
      var key = keyOf ? keyOf(f) : f.key;
      (groups[key] = groups[key] || []).push(f);
    });
    return groups;
  }

  function label(f) {
    return String(f.label || f.key).replace(/^[一二三四五六七八九十]+、/, "").replace(/（.*）$/, "");
  }

  /** One field of the card (all its values, each with its scope when there are several); `shortcut` copies it. */
  function field(values, shortcut) {
    var name = label(values[0]);
    var box = el("section", "field field-" + values[0].key);
    var title = el("h3", null, name);
    var texts = values.map(function (f) {
      var scope = values.length > 1 && f.scope ? "（" + f.scope + "）" : "";
      var items = f.items && f.items.length > 1 ? f.items : null;
      var body = items ? el("ol") : el("p", null, scope + f.text);
      if (items) {
        if (scope) box.append(el("p", "scope", scope));
        items.forEach(function (item) { body.append(el("li", null, item)); });
      }
      box.append(body);
      return scope + (items ? items.map(function (item, n) { return (n + 1) + ". " + item; }).join("\n") : f.text);
    });
    title.append(copyButton(name, texts.join("\n"), shortcut === false ? null : FIELD_KEYS[values[0].key]));
    box.prepend(title);
    return box;
  }

  // ---- the region picker ----

  function searchRegions() {
    var query = ui.regionSearch.value.trim();
    fetch("/api/hotline/regions?limit=30&q=" + encodeURIComponent(query))
      .then(function (response) { return response.json(); })
      .then(function (data) {
        if (ui.regionSearch.value.trim() !== query) return;
        regionMatches = data.regions || [];
        regionActive = regionMatches.length ? 0 : -1;
        drawRegions();
      });
  }

  function drawRegions() {
    ui.regionList.textContent = "";
    regionMatches.forEach(function (region, index) {
      var item = el("li", index === regionActive ? "active" : null);
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", String(index === regionActive));
      item.append(el("b", null, region.name), " ", el("span", "path", region.path.replace(/\//g, " › ")),
        " ", el("span", "initials", region.initials));
      item.addEventListener("mousedown", function (event) {
        event.preventDefault();
        pickRegion(region);
      });
      ui.regionList.append(item);
    });
    if (!regionMatches.length) ui.regionList.append(el("li", "muted", "没有匹配的地区"));
    ui.regionList.hidden = false;
    ui.regionSearch.setAttribute("aria-expanded", "true");
  }

  function closeRegions() {
    ui.regionList.hidden = true;
    ui.regionSearch.setAttribute("aria-expanded", "false");
  }

  function pickRegion(region) {
    closeRegions();
    ui.regionSearch.value = "";
    reaskWithRegion(region);
    focusQuestion();
  }

  ui.regionSearch.addEventListener("input", function () {
    clearTimeout(searchRegions.timer);
    searchRegions.timer = setTimeout(searchRegions, 120);
  });
  ui.regionSearch.addEventListener("focus", searchRegions);
  ui.regionSearch.addEventListener("blur", closeRegions);
  ui.regionSearch.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (!regionMatches.length) return;
      var step = event.key === "ArrowDown" ? 1 : -1;
      regionActive = (regionActive + step + regionMatches.length) % regionMatches.length;
      drawRegions();
    } else if (event.key === "Enter") {
      event.preventDefault();
      if (regionMatches[regionActive]) pickRegion(regionMatches[regionActive]);
    }
  });

  // ---- keyboard and wiring ----

  ui.form.addEventListener("submit", function (event) {
    event.preventDefault();
    ask(ui.question.value);
    ui.question.select();
  });
  ui.newCall.addEventListener("click", function () { startCall(); });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      closeRegions();
      focusQuestion();
      return;
    }
    if (!event.altKey || event.ctrlKey || event.metaKey) return;
    var code = event.code;
    var digit = /^Digit([1-9])$/.exec(code);
    if (digit) pickNumber(Number(digit[1]));
    else if (code === "KeyN") startCall();
    else if (code === "KeyY" && !ui.right.disabled) verdict(true);
    else if (code === "KeyW" && !ui.wrong.disabled) correct();
    else if (code === "KeyR") ui.regionSearch.focus();
    else if (copyable[code]) copy(copyable[code].label, copyable[code].text);
    else return;
    event.preventDefault();
  });

  startCall(sessionStorage.getItem("yibao-hotline-call"));
})();
