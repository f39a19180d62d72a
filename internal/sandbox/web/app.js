// The sandbox page: a small Slack for the seeded people. It polls
// /api/state and sends what people do to /api/*, which turns it into the
// Slack payloads the bot receives.
"use strict";

const { h } = BlockKit;
const COMMAND = "/partner-assess";
const FIRST_PERSON = "UADA";
const POLL_MS = 500;

const $ = (sel) => document.querySelector(sel);

const app = {
  me: "",          // the person the page acts as
  version: "",     // of the workspace last drawn
  ws: null,        // the workspace as /api/state gave it
  now: null,       // sandbox time, as of the last poll
  pane: {},        // person → id of the pane shown ("home" or a conversation)
  seen: {},        // person → conversation → ts of the last message seen
  modalKey: "",    // id + content of the modal drawn
  homeKey: "",
  shortcuts: [],   // the app's message shortcuts: {callback_id, name}
  history: [],     // commands typed, for the ↑ key
  historyAt: 0,
  polling: false,
  pollAgain: false,
  timer: 0,
};

// --- talking to the sandbox ------------------------------------------------

async function api(path, body) {
  const r = await fetch("/api/" + path, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ user: app.me, ...body }),
  });
  const out = await r.json().catch(() => ({}));
  if (!r.ok) {
    toast(out.error || `The sandbox answered ${r.status}.`, true);
    throw new Error(out.error || r.status);
  }
  refresh();
  return out;
}

function refresh() {
  clearTimeout(app.timer);
  if (app.polling) { app.pollAgain = true; return; }
  poll();
}

async function poll() {
  app.polling = true;
  try {
    const me = app.me;
    const r = await fetch(`/api/state?user=${encodeURIComponent(me)}&since=${encodeURIComponent(app.version)}`);
    if (r.status === 400 && me !== FIRST_PERSON) { switchTo(FIRST_PERSON); return; } // not a person here
    if (!r.ok) throw new Error(`state: ${r.status}`);
    const st = await r.json();
    if (me !== app.me) return; // switched person meanwhile: the next poll draws them
    setOnline(true);
    app.now = st.now;
    app.shortcuts = st.shortcuts || [];
    if (st.workspace) {
      app.version = st.version;
      app.ws = st.workspace;
      draw();
    }
    drawClock(st);
  } catch (e) {
    setOnline(false);
  } finally {
    app.polling = false;
    if (app.pollAgain) { app.pollAgain = false; poll(); }
    else app.timer = setTimeout(poll, POLL_MS);
  }
}

function setOnline(ok) {
  $("#offline").hidden = ok;
}

let toastTimer = 0;
function toast(msg, isError) {
  const t = $("#toast");
  t.textContent = msg;
  t.classList.toggle("error", !!isError);
  t.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { t.hidden = true; }, 6000);
}

// --- people -----------------------------------------------------------------

function users() {
  const out = {};
  for (const u of (app.ws && app.ws.users) || []) out[u.id] = u;
  return out;
}
function person(id) { return users()[id] || { id, name: id, real_name: id }; }
function myTZ() { return person(app.me).tz || "UTC"; }

function renderCtx(extra) {
  return {
    users: users(),
    tz: myTZ(),
    now: app.now,
    confirm: confirmDialog,
    ...extra,
  };
}

function switchTo(id) {
  if (!id || id === app.me) return;
  app.me = id;
  app.version = "";
  app.modalKey = "";
  app.homeKey = "";
  history.replaceState(null, "", "#" + id);
  $("#whoami").value = id;
  $("#messages").replaceChildren();
  closeModalDialog();
  refresh();
}

// --- drawing ------------------------------------------------------------------

function drawClock(st) {
  const ctx = renderCtx();
  const now = new Date(st.now);
  $("#now").textContent = BlockKit.formatDate(now, "{date_long} {time}", { ...ctx, now: st.now });
  $("#now").dateTime = now.toISOString();
  $("#now-tz").textContent = `(${myTZ()})` + (st.offset !== "0s" ? ` · ${st.offset} ahead of real time` : "");
  $("#min-interval").textContent = st.min_interval || "…";
  const next = $("#next");
  if (st.next) {
    next.textContent = BlockKit.formatDate(new Date(st.next), "{date_short_pretty} {time}", { ...ctx, now: st.now });
  } else {
    next.textContent = "nothing scheduled yet";
  }
}

function draw() {
  const ws = app.ws;
  const sel = $("#whoami");
  if (sel.options.length === 0) {
    for (const u of ws.users.filter((u) => !u.is_bot)) sel.append(h("option", { value: u.id }, u.real_name));
    sel.value = app.me;
  }
  if (!app.pane[app.me]) app.pane[app.me] = ws.conversations[0].id;
  drawNav();
  drawPane();
  drawModal();
  drawProblems();
}

function conversationName(c) {
  if (c.kind === "dm") return "Partnerbot";
  if (c.kind === "channel") return "#" + c.name;
  return c.members.filter((m) => m !== app.me).map((m) => person(m).real_name).concat("Partnerbot").join(", ");
}

function unread(c) {
  const seen = (app.seen[app.me] || {})[c.id] || "";
  return c.messages.filter((m) => m.ts > seen).length;
}

function drawNav() {
  const nav = $("#nav");
  const items = [];
  const section = (title, list) => {
    if (list.length) items.push(h("li", { class: "nav-section", role: "presentation" }, title), ...list);
  };
  const entry = (id, label, count, icon) => {
    const current = app.pane[app.me] === id;
    return h("li", {},
      h("button", {
        type: "button", class: "nav-item" + (count ? " unread" : ""), "data-pane": id,
        "aria-current": current ? "page" : null, onclick: () => showPane(id),
      },
      h("span", { class: "nav-icon", "aria-hidden": "true", text: icon }),
      h("span", { class: "nav-label", text: label }),
      count ? h("span", { class: "badge" }, String(count), h("span", { class: "visually-hidden", text: " new" })) : null));
  };
  const convs = app.ws.conversations;
  const count = (c) => (app.pane[app.me] === c.id ? 0 : unread(c));
  section("Apps", [entry("home", "Partnerbot — Home", 0, "⌂")]);
  section("Direct messages", convs.filter((c) => c.kind !== "channel").map((c) => entry(c.id, conversationName(c), count(c), c.kind === "dm" ? "●" : "◆")));
  section("Channels", convs.filter((c) => c.kind === "channel").map((c) => entry(c.id, conversationName(c), count(c), "#")));
  nav.replaceChildren(...items);
}

function showPane(id) {
  const was = app.pane[app.me];
  app.pane[app.me] = id;
  $("#messages").replaceChildren();
  app.homeKey = "";
  if (id === "home") api("home", {}).catch(() => {});
  draw();
  if (was !== id) $("#pane-title").focus();
}

function currentConversation() {
  return app.ws.conversations.find((c) => c.id === app.pane[app.me]);
}

function drawPane() {
  const id = app.pane[app.me];
  const isHome = id === "home";
  $("#messages").hidden = isHome;
  $("#composer").hidden = isHome;
  $("#home").hidden = !isHome;
  if (isHome) {
    $("#pane-title").textContent = "Partnerbot — Home";
    $("#pane-sub").textContent = "The app's Home tab: opening it sends app_home_opened; the bot publishes the view.";
    drawHome();
    return;
  }
  const c = currentConversation();
  if (!c) { app.pane[app.me] = app.ws.conversations[0].id; return drawPane(); }
  $("#pane-title").textContent = conversationName(c);
  $("#pane-sub").textContent = c.kind === "dm"
    ? "Your direct messages with the bot. Type a command below."
    : c.kind === "group" ? "The group DM the bot opened for the partnership." : "A channel the bot is in.";
  $("#compose").setAttribute("aria-label", `Message ${conversationName(c)}`);
  drawMessages(c);
  (app.seen[app.me] ||= {})[c.id] = c.messages.length ? c.messages[c.messages.length - 1].ts : "";
}

function drawMessages(c) {
  const list = $("#messages");
  const nearBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 80;
  const have = new Map([...list.children].map((el) => [el.dataset.key, el]));
  const els = c.messages.map((m) => {
    const key = m.ts + ":" + JSON.stringify(m).length + ":" + hash(JSON.stringify(m));
    return have.get(key) || messageEl(c, m, key);
  });
  if (els.length === 0) {
    list.replaceChildren(h("p", { class: "empty", text: c.kind === "dm"
      ? "No messages yet. Try /partner-assess help, or /partner-assess pair @Eve." : "No messages yet." }));
    return;
  }
  [...list.children].forEach((el) => { if (!els.includes(el)) el.remove(); });
  els.forEach((el, i) => { if (list.children[i] !== el) list.insertBefore(el, list.children[i] || null); });
  if (nearBottom || list.dataset.conv !== c.id) list.scrollTop = list.scrollHeight;
  list.dataset.conv = c.id;
}

function hash(s) {
  let x = 0;
  for (let i = 0; i < s.length; i++) x = (x * 31 + s.charCodeAt(i)) | 0;
  return x.toString(36);
}

function messageEl(c, m, key) {
  const at = new Date(m.at);
  const ctx = renderCtx({
    onButton: (el, blockId) => api("action", { kind: "button", channel: c.id, ts: m.ts, action_id: el.action_id, block_id: blockId }),
    onSelect: null, // the sandbox sends selects from modals and the Home tab
  });
  const body = m.blocks && m.blocks.length ? BlockKit.render(m.blocks, ctx) : BlockKit.mrkdwn(m.text, ctx);
  const fromBot = !m.user || m.user === app.ws.bot_id;
  const author = fromBot ? "Partnerbot" : person(m.user).real_name;
  return h("article", { class: "message" + (m.ephemeral ? " ephemeral" : "") + (fromBot ? "" : " by-person"), "data-key": key, "data-ts": m.ts },
    h("div", { class: "avatar", "aria-hidden": "true", text: author.slice(0, 1) }),
    h("div", { class: "message-main" },
      h("div", { class: "message-head" },
        h("strong", { text: author }), " ", fromBot ? h("span", { class: "app-badge", text: "APP" }) : null, " ",
        h("time", { datetime: at.toISOString(), text: BlockKit.formatDate(at, "{date_short_pretty} {time}", ctx) }),
        m.edited ? h("span", { class: "edited", text: " (edited)" }) : null,
        m.ephemeral ? null : moreActions(c, m)),
      m.ephemeral ? h("div", { class: "only-you", text: "Only visible to you" }) : null,
      h("div", { class: "message-body" }, body),
      (m.files || []).map((f) => fileEl(f, m))));
}

// moreActions is a message's "More actions" menu: the app's message
// shortcuts, as Slack offers them on any message everyone sees.
function moreActions(c, m) {
  if (!app.shortcuts.length) return null;
  const menu = h("details", { class: "more-actions" },
    h("summary", { "aria-label": "More actions", title: "More actions", text: "⋯" }),
    h("div", { class: "menu", role: "group", "aria-label": "Partnerbot shortcuts" },
      h("div", { class: "menu-title", text: "Partnerbot" }),
      app.shortcuts.map((sc) => h("button", {
        type: "button", class: "menu-item", "data-shortcut": sc.callback_id,
        onclick: () => { menu.open = false; api("shortcut", { channel: c.id, ts: m.ts, callback_id: sc.callback_id }).catch(() => {}); },
      }, sc.name))));
  return menu;
}

// keepAtBottom keeps the conversation scrolled to its end when an image
// that was at the end loads and grows the list.
function keepAtBottom(ev) {
  const list = $("#messages");
  if (list.scrollHeight - list.scrollTop - list.clientHeight - ev.target.offsetHeight < 80) list.scrollTop = list.scrollHeight;
}

// fileEl draws a shared file: an image as the image, with its alt text
// (or the message's text, which describes it), anything else as a link.
function fileEl(f, m) {
  const href = `/api/file?user=${encodeURIComponent(app.me)}&id=${encodeURIComponent(f.id)}`;
  if (/^image\//.test(f.mimetype || "")) {
    return h("figure", { class: "file-image", "data-file-id": f.id },
      h("figcaption", { text: f.name }),
      h("img", { src: href, alt: f.alt || m.text || f.name, onload: keepAtBottom }));
  }
  return h("a", { class: "file", href, download: f.name }, "📄 " + f.name);
}

function drawHome() {
  const home = $("#home");
  const v = app.ws.home;
  const key = v ? v.id + JSON.stringify(v.view) : "";
  if (key === app.homeKey && home.childElementCount) return;
  app.homeKey = key;
  if (!v) {
    home.replaceChildren(h("p", { class: "empty", text: "Opening the Home tab…" }));
    return;
  }
  const view = v.view;
  const values = BlockKit.inputs(home);
  home.replaceChildren(BlockKit.render(view.blocks, renderCtx({
    onButton: (el, blockId) => api("action", { kind: "button", view_id: v.id, action_id: el.action_id, block_id: blockId }),
    onSelect: (el, blockId, value) => api("action", { kind: "select", view_id: v.id, action_id: el.action_id, block_id: blockId, value }),
  })));
  BlockKit.restore(home, values);
}

// --- modals -----------------------------------------------------------------

function drawModal() {
  const dlg = $("#modal");
  const m = app.ws.modal;
  if (!m) {
    if (dlg.open) closeModalDialog();
    return;
  }
  const key = m.id + JSON.stringify(m.view) + JSON.stringify(m.errors || {});
  if (key === app.modalKey && dlg.open) return;
  const sameView = dlg.open && dlg.dataset.viewId === m.id;
  const values = sameView ? BlockKit.inputs(dlg) : {};
  app.modalKey = key;
  dlg.dataset.viewId = m.id;
  const view = m.view;
  $("#modal-title").textContent = (view.title && view.title.text) || "";
  $("#modal-body").replaceChildren(BlockKit.render(view.blocks, renderCtx({
    errors: m.errors || {},
    onButton: (el, blockId) => api("action", { kind: "button", view_id: m.id, action_id: el.action_id, block_id: blockId }),
    onSelect: (el, blockId, value) => api("action", { kind: "select", view_id: m.id, action_id: el.action_id, block_id: blockId, value }),
  })));
  BlockKit.restore($("#modal-body"), values);
  const hasInputs = !!$("#modal-body .bk-input");
  $("#modal-submit").hidden = !view.submit;
  $("#modal-submit").textContent = (view.submit && view.submit.text) || "Submit";
  $("#modal-cancel").textContent = (view.close && view.close.text) || (view.submit ? "Cancel" : "Close");
  $("#modal-back").hidden = !(m.depth > 1);
  const focusFirst = () => {
    const first = $("#modal-body").querySelector("input, select, textarea, button") || $("#modal-cancel");
    if (hasInputs) first.focus(); else $("#modal-title").focus();
  };
  if (!dlg.open) {
    app.beforeModal = document.activeElement;
    dlg.showModal();
    focusFirst();
  } else if (m.errors && Object.keys(m.errors).length) {
    const bad = $("#modal-body .bk-input.invalid input, #modal-body .bk-input.invalid select, #modal-body .bk-input.invalid textarea");
    if (bad) bad.focus();
  } else if (!dlg.contains(document.activeElement)) {
    // The new content took the focused element away (a button of the old
    // one, or Submit, hidden): the focus stays in the modal.
    focusFirst();
  }
}

function closeModalDialog() {
  const dlg = $("#modal");
  if (!dlg.open) return;
  dlg.close();
  app.modalKey = "";
  const before = app.beforeModal;
  const back = before && before !== document.body && document.contains(before) ? before : $("#compose");
  if (!back || back.closest("[hidden]")) return;
  // Closing the dialog may have put the focus back already, while the
  // page was still inert: Chromium then takes no typing there until the
  // focus moves. Moving it away and back makes it a real focus.
  if (document.activeElement === back) back.blur();
  back.focus();
}

async function submitModal(ev) {
  ev.preventDefault();
  const dlg = $("#modal");
  const body = $("#modal-body");
  const bad = BlockKit.validate(body);
  if (bad) {
    (bad.querySelector("input, select, textarea") || bad).focus();
    return;
  }
  // Busy, not disabled: a disabled button loses the focus, which would
  // leave the open modal for the page behind it.
  const btn = $("#modal-submit");
  if (btn.getAttribute("aria-disabled") === "true") return;
  btn.setAttribute("aria-disabled", "true");
  try {
    await api("submit", { view_id: dlg.dataset.viewId, values: BlockKit.inputs(body) });
  } catch (e) { /* shown by api */ } finally { btn.removeAttribute("aria-disabled"); }
}

async function cancelModal() {
  const id = $("#modal").dataset.viewId;
  try { await api("close", { view_id: id }); } catch (e) { /* shown by api */ }
}

// confirmDialog shows a button's confirm object; it resolves to whether
// the person confirmed.
function confirmDialog(c) {
  const dlg = $("#confirm");
  $("#confirm-title").textContent = (c.title && c.title.text) || "Are you sure?";
  $("#confirm-text").replaceChildren(BlockKit.textObject(c.text, renderCtx()));
  $("#confirm-yes").textContent = (c.confirm && c.confirm.text) || "Yes";
  $("#confirm-yes").className = "bk-button " + (c.style || "primary");
  $("#confirm-no").textContent = (c.deny && c.deny.text) || "Cancel";
  return new Promise((resolve) => {
    dlg.onclose = () => resolve(dlg.returnValue === "yes");
    dlg.returnValue = "";
    dlg.showModal();
    $("#confirm-no").focus();
  });
}

function drawProblems() {
  const p = app.ws.problems || [];
  const box = $("#problems");
  box.hidden = p.length === 0;
  $("#problems-count").textContent = `The fake Slack caught ${p.length} problem${p.length === 1 ? "" : "s"} with what the bot sent`;
  $("#problems-list").replaceChildren(...p.map((x) => h("li", { text: x })));
}

// --- the composer -----------------------------------------------------------

// slackText turns what a person typed into what Slack sends: &, < and >
// escaped, and @Name turned into a mention <@U…|name>.
function slackText(typed) {
  let s = typed.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  const names = [];
  for (const u of app.ws.users) {
    const first = (u.real_name || "").split(" ")[0];
    for (const n of new Set([u.real_name, first, u.name].filter(Boolean))) names.push([n, u]);
  }
  names.sort((a, b) => b[0].length - a[0].length);
  for (const [n, u] of names) {
    const re = new RegExp(`(^|\\s)@${n.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?![\\p{L}\\p{N}])`, "giu");
    s = s.replace(re, (_, pre) => `${pre}<@${u.id}|${u.name}>`);
  }
  return s;
}

async function sendComposer(ev) {
  ev.preventDefault();
  const input = $("#compose");
  const typed = input.value.trim();
  if (!typed) return;
  const c = currentConversation();
  input.disabled = true;
  try {
    // A command goes to the bot; anything else is posted as you, as a
    // message for the shortcuts to act on (the bot reads no messages).
    if (typed.startsWith("/")) await api("command", { channel: c.id, text: slackText(typed) });
    else await api("say", { channel: c.id, text: slackText(typed) });
    app.history.push(typed);
    app.historyAt = app.history.length;
    input.value = "";
  } catch (e) { /* shown by api */ } finally {
    input.disabled = false;
    if (!$("#modal").open) input.focus();
  }
}

function composerKeys(ev) {
  const input = ev.target;
  if (ev.key === "ArrowUp" && app.historyAt > 0) {
    app.historyAt--;
    input.value = app.history[app.historyAt];
    ev.preventDefault();
  } else if (ev.key === "ArrowDown" && app.historyAt < app.history.length) {
    app.historyAt++;
    input.value = app.history[app.historyAt] || "";
    ev.preventDefault();
  }
}

async function jump() {
  const btn = $("#jump");
  btn.disabled = true;
  btn.setAttribute("aria-busy", "true");
  try {
    const r = await api("jump", {});
    if (r.jumped) {
      const when = BlockKit.formatDate(new Date(r.due), "{date_long} {time}", renderCtx({ now: r.now }));
      toast(`Jumped to ${when}: ${r.sent}.`);
    } else {
      toast(r.message);
    }
  } catch (e) { /* shown by api */ } finally {
    btn.disabled = false;
    btn.removeAttribute("aria-busy");
  }
}

// --- start ------------------------------------------------------------------

function start() {
  app.me = location.hash.slice(1) || FIRST_PERSON;
  $("#whoami").addEventListener("change", (e) => switchTo(e.target.value));
  $("#composer").addEventListener("submit", sendComposer);
  $("#compose").addEventListener("keydown", composerKeys);
  $("#jump").addEventListener("click", jump);
  $("#modal-form").addEventListener("submit", submitModal);
  $("#modal-cancel").addEventListener("click", cancelModal);
  $("#modal-back").addEventListener("click", cancelModal);
  $("#modal-x").addEventListener("click", cancelModal);
  $("#modal").addEventListener("cancel", (e) => { e.preventDefault(); cancelModal(); });
  window.addEventListener("hashchange", () => switchTo(location.hash.slice(1)));
  // An open More actions menu closes on a click elsewhere, or Escape.
  const closeMenus = (keep) => {
    for (const d of document.querySelectorAll(".more-actions[open]")) if (d !== keep) d.open = false;
  };
  document.addEventListener("click", (e) => closeMenus(e.target.closest && e.target.closest(".more-actions")));
  document.addEventListener("keydown", (e) => { if (e.key === "Escape") closeMenus(null); });
  poll();
}

start();
