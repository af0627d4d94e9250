/*
 * 医保办事助手 web chat widget. Embed it with one tag:
 *
 *   <script src="https://PAGES/widget.js" data-server="https://RASA-SERVER"></script>
 *
 * Optional attributes: data-region="乐山市" (the site's own area, a hint for the assistant at the start of a
 * conversation), data-title="…" (panel title), data-open="true" (open at first visit).
 *
 * It speaks Rasa's socket.io protocol (session_request → session_confirm, user_uttered → bot_uttered) with the
 * socket.io client in vendor/, loaded from beside this file unless the page already has `io`. The session id
 * and the messages stay in localStorage, so a reload continues the same conversation. Message content is only
 * ever inserted as text.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script || window.__yibaoWidget) return;
  window.__yibaoWidget = true;

  var base = new URL(".", script.src).href;
  var options = script.dataset;
  var server = (options.server || location.protocol + "//" + location.hostname + ":5005").replace(/\/+$/, "");
  var storageKey = "yibao-chat:" + server;
  var MAX_KEPT = 100; // messages kept for a reload
  var REPLY_TIMEOUT_MS = 30000;
  var GREETING = "您好！我是医保办事助手，可以查询医保业务的办理材料、时限、流程、地点和咨询电话。" +
    "试试问：“沙湾区住院报销打哪个电话？”";
  // Phone numbers: 0833-3432615, 08333432615, mobile numbers, the 12345 and 12393 hotlines.
  var PHONE = /(^|[^\d-])(0\d{2,3}-?\d{7,8}|1[3-9]\d{9}|12345|12393)(?!\d)/g;
  // Said of the latest answer (bot/dialogue/feedback.py): 👍, 👎 at once, then an optional reason.
  var REASONS = ["答非所问", "电话不对", "信息过时", "其他"];

  var state = load();
  var socket = null;
  var ready = false;
  var outbox = [];
  var waiting = null;
  var ui = null;

  function load() {
    var saved = null;
    try { saved = JSON.parse(localStorage.getItem(storageKey)); } catch (e) { saved = null; }
    if (!saved || typeof saved.sessionId !== "string" || !Array.isArray(saved.messages)) {
      saved = {sessionId: newId(), messages: [], open: options.open === "true"};
    }
    saved.messages = saved.messages.filter(function (m) {
      return m && typeof m.text === "string" && (m.from === "user" || m.from === "bot");
    });
    return saved;
  }

  function save() {
    state.messages = state.messages.slice(-MAX_KEPT);
    try { localStorage.setItem(storageKey, JSON.stringify(state)); } catch (e) { /* storage full or off */ }
  }

  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID().replace(/-/g, "");
    return Date.now().toString(16) + Math.random().toString(16).slice(2);
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function build() {
    var host = el("div");
    host.id = "yibao-chat";
    var root = host.attachShadow({mode: "open"});
    var style = el("link");
    style.rel = "stylesheet";
    style.href = base + "widget.css";
    var launcher = el("button", "yb-launcher", "医保咨询");
    launcher.type = "button";
    launcher.setAttribute("aria-label", "打开医保办事助手");
    var panel = el("section", "yb-panel");
    panel.setAttribute("role", "dialog");
    panel.setAttribute("aria-label", "医保办事助手");
    var header = el("header", "yb-header");
    var title = el("span", "yb-title", options.title || "医保办事助手");
    var status = el("span", "yb-status", "连接中…");
    var close = el("button", "yb-close", "×");
    close.type = "button";
    close.setAttribute("aria-label", "关闭");
    header.append(title, status, close);
    var log = el("ol", "yb-log");
    log.setAttribute("aria-live", "polite");
    var replies = el("div", "yb-replies");
    var form = el("form", "yb-form");
    var input = el("input", "yb-input");
    input.type = "text";
    input.maxLength = 300;
    input.placeholder = "请输入您的问题";
    input.setAttribute("aria-label", "您的问题");
    input.setAttribute("enterkeyhint", "send");
    var send = el("button", "yb-send", "发送");
    send.type = "submit";
    form.append(input, send);
    panel.append(header, log, replies, form);
    root.append(style, launcher, panel);
    document.body.appendChild(host);

    launcher.addEventListener("click", function () { setOpen(true); });
    close.addEventListener("click", function () { setOpen(false); });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = input.value.trim();
      if (!text) return;
      input.value = "";
      ask(text, text);
    });
    return {root: root, launcher: launcher, panel: panel, status: status, log: log, replies: replies, input: input};
  }

  function setOpen(open) {
    state.open = open;
    save();
    ui.panel.classList.toggle("yb-open", open);
    ui.launcher.hidden = open;
    if (open) {
      ui.input.focus();
      scrollDown();
    }
  }

  function scrollDown() {
    ui.log.scrollTop = ui.log.scrollHeight;
  }

  /** Text with its phone numbers turned into tel: links, appended to `parent` as text nodes and links. */
  function appendWithPhones(parent, text) {
    var last = 0;
    text.replace(PHONE, function (match, before, number, offset) {
      var start = offset + before.length;
      parent.append(document.createTextNode(text.slice(last, start)));
      var link = el("a", "yb-tel", number);
      link.href = "tel:" + number.replace(/\D/g, "");
      parent.append(link);
      last = start + number.length;
      return match;
    });
    parent.append(document.createTextNode(text.slice(last)));
  }

  function render(message) {
    var item = el("li", "yb-msg yb-" + message.from);
    var bubble = el("div", "yb-bubble");
    var sources = [];
    message.text.split("\n").forEach(function (line) {
      if (!line.trim()) return;
      if (message.from === "bot" && /^来源[:：]/.test(line)) {
        sources.push(line);
        return;
      }
      var paragraph = el("p");
      if (message.from === "bot") appendWithPhones(paragraph, line);
      else paragraph.textContent = line;
      bubble.append(paragraph);
    });
    if (bubble.childNodes.length) item.append(bubble);
    sources.forEach(function (line) { item.append(el("p", "yb-source", line)); });
    ui.log.append(item);
  }

  /** 👍 / 👎 under the latest answer (only that one: feedback is taken as said of the latest answer). */
  function offerFeedback(answer) {
    if (answer.feedback) return; // the reply to feedback: the bar (and its reasons) stays
    var old = ui.log.querySelector(".yb-rate");
    if (old) old.remove();
    var items = ui.log.querySelectorAll(".yb-msg.yb-bot:not(.yb-typing)");
    if (!items.length || answer.clarify || !answer.service) return;
    var bar = el("div", "yb-rate");
    bar.setAttribute("role", "group");
    bar.setAttribute("aria-label", "这个回答有帮助吗");
    bar.append(el("span", "yb-rate-ask", "有帮助吗？"));
    [["👍", "有帮助", "/feedback_positive"], ["👎", "没帮助", "/feedback_negative"]].forEach(function (choice) {
      var button = el("button", "yb-rate-button", choice[0]);
      button.type = "button";
      button.setAttribute("aria-label", choice[1]);
      button.addEventListener("click", function () {
        bar.textContent = "";
        bar.append(el("span", "yb-rate-ask", "谢谢反馈"));
        send(choice[2]);
        if (choice[2] === "/feedback_negative") offerReasons(bar);
      });
      bar.append(button);
    });
    items[items.length - 1].append(bar);
  }

  function offerReasons(bar) {
    bar.firstChild.textContent = "原因（可选）：";
    REASONS.forEach(function (reason) {
      var chip = el("button", "yb-rate-button yb-reason", reason);
      chip.type = "button";
      chip.addEventListener("click", function () {
        bar.textContent = "";
        bar.append(el("span", "yb-rate-ask", "已记下：" + reason));
        send("/feedback_reason" + JSON.stringify({reason: reason}));
      });
      bar.append(chip);
    });
  }

  function showReplies(buttons) {
    ui.replies.textContent = "";
    (buttons || []).forEach(function (button) {
      var chip = el("button", "yb-reply", button.title);
      chip.type = "button";
      chip.addEventListener("click", function () { ask(button.title, button.payload); });
      ui.replies.append(chip);
    });
  }

  function remember(message) {
    state.messages.push(message);
    save();
    render(message);
    showReplies(message.buttons);
    scrollDown();
  }

  function setTyping(on) {
    if (waiting) {
      clearTimeout(waiting.timer);
      waiting.node.remove();
      waiting = null;
    }
    if (!on) return;
    var node = el("li", "yb-msg yb-bot yb-typing");
    node.append(el("div", "yb-bubble", "正在查询…"));
    ui.log.append(node);
    scrollDown();
    waiting = {node: node, timer: setTimeout(function () {
      setTyping(false);
      ui.status.textContent = "回复超时，请稍后再试";
    }, REPLY_TIMEOUT_MS)};
  }

  /** Show `shown` as the user's message and send `payload` (a quick reply's payload, or the typed text). */
  function ask(shown, payload) {
    remember({from: "user", text: shown});
    send(payload);
    setTyping(true);
  }

  function send(payload) {
    var message = {message: payload, session_id: state.sessionId};
    if (options.region) message.metadata = {region_hint: options.region};
    if (ready) socket.emit("user_uttered", message);
    else outbox.push(message);
  }

  function onBotMessage(data) {
    var answer = data && data.custom && data.custom.yibao;
    if (answer) return offerFeedback(answer); // the answer as data: rate it
    if (!data || typeof data.text !== "string") return;
    setTyping(false);
    var buttons = (data.quick_replies || data.buttons || []).filter(function (b) {
      return b && typeof b.title === "string";
    }).map(function (b) {
      return {title: b.title, payload: typeof b.payload === "string" ? b.payload : b.title};
    });
    remember({from: "bot", text: data.text, buttons: buttons});
  }

  function connect() {
    socket = window.io(server, {transports: ["websocket", "polling"]});
    socket.on("connect", function () {
      ui.status.textContent = "连接中…";
      socket.emit("session_request", {session_id: state.sessionId});
    });
    socket.on("session_confirm", function (confirmed) {
      var id = confirmed && typeof confirmed === "object" ? confirmed.session_id : confirmed;
      if (typeof id === "string" && id !== state.sessionId) {
        state.sessionId = id;
        save();
      }
      ready = true;
      ui.status.textContent = "在线";
      outbox.splice(0).forEach(function (message) {
        message.session_id = state.sessionId;
        socket.emit("user_uttered", message);
      });
    });
    socket.on("bot_uttered", onBotMessage);
    socket.on("disconnect", function () {
      ready = false;
      ui.status.textContent = "连接断开，正在重连…";
    });
    socket.on("connect_error", function () { ui.status.textContent = "暂时无法连接，正在重试…"; });
  }

  function start() {
    ui = build();
    render({from: "bot", text: GREETING});
    state.messages.forEach(render);
    var last = state.messages[state.messages.length - 1];
    if (last && last.from === "bot") showReplies(last.buttons);
    setOpen(Boolean(state.open));
    if (window.io) {
      connect();
      return;
    }
    var loader = document.createElement("script");
    loader.src = base + "vendor/socket.io.min.js";
    loader.onload = connect;
    loader.onerror = function () { ui.status.textContent = "组件加载失败"; };
    document.head.appendChild(loader);
  }

  if (document.body) start();
  else document.addEventListener("DOMContentLoaded", start);
})();
