// Block Kit and mrkdwn, rendered into DOM nodes. Every piece of text from
// the bot goes through textContent: nothing is parsed as HTML.
"use strict";

const BlockKit = (() => {
  const EMOJI = {
    lock: "🔒", palm_tree: "🌴", white_check_mark: "✅", heavy_check_mark: "✔️", x: "❌",
    wave: "👋", tada: "🎉", warning: "⚠️", calendar: "📅", bell: "🔔", star: "⭐",
    sparkles: "✨", bulb: "💡", handshake: "🤝", memo: "📝", pushpin: "📌", zzz: "💤",
    hourglass: "⌛", hourglass_flowing_sand: "⏳", thumbsup: "👍", "+1": "👍", no_entry: "⛔",
    information_source: "ℹ️", chart_with_upwards_trend: "📈", chart_with_downwards_trend: "📉",
    speech_balloon: "💬", busts_in_silhouette: "👥", arrow_right: "➡️", repeat: "🔁",
    inbox_tray: "📥", outbox_tray: "📤", wastebasket: "🗑️", mailbox: "📫", seedling: "🌱",
    scroll: "📜", trophy: "🏆", eyes: "👀", heavy_minus_sign: "➖", large_green_circle: "🟢",
    large_yellow_circle: "🟡", red_circle: "🔴", dart: "🎯", rocket: "🚀",
  };

  // h builds an element: h("div", {class: "x"}, child, "text", ...).
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === "class") el.className = v;
      else if (k === "text") el.textContent = v;
      else if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
      else if (k in el && typeof v !== "string") el[k] = v;
      else el.setAttribute(k, v === true ? "" : v);
    }
    for (const c of children.flat()) {
      if (c === undefined || c === null || c === false) continue;
      el.append(c);
    }
    return el;
  }

  // Slack escapes only these three in text it sends.
  const decode = (s) => s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
  const emoji = (s) => s.replace(/:([a-z0-9_+-]+):/g, (m, name) => EMOJI[name] || m);

  // --- dates (<!date^…>) -------------------------------------------------

  function parts(date, tz, opts) {
    const out = {};
    for (const p of new Intl.DateTimeFormat("en-US", { timeZone: tz, ...opts }).formatToParts(date)) out[p.type] = p.value;
    return out;
  }
  function ordinal(n) {
    const s = ["th", "st", "nd", "rd"], v = n % 100;
    return n + (s[(v - 20) % 10] || s[v] || s[0]);
  }
  function dayKey(date, tz) {
    const p = parts(date, tz, { year: "numeric", month: "2-digit", day: "2-digit" });
    return `${p.year}-${p.month}-${p.day}`;
  }
  function pretty(date, ctx, long) {
    const d = new Date(ctx.now);
    for (const [delta, word] of [[0, "today"], [-1, "yesterday"], [1, "tomorrow"]]) {
      const other = new Date(d.getTime() + delta * 86400000);
      if (dayKey(other, ctx.tz) === dayKey(date, ctx.tz)) return word;
    }
    return long;
  }
  function formatDate(date, format, ctx) {
    const tz = ctx.tz || "UTC";
    const p = parts(date, tz, { weekday: "long", year: "numeric", month: "long", day: "numeric", hour: "numeric", minute: "2-digit", second: "2-digit" });
    const short = parts(date, tz, { month: "short", day: "numeric", year: "numeric" });
    const dateLong = `${p.month} ${ordinal(+p.day)}, ${p.year}`;
    const dateShort = `${short.month} ${short.day}, ${short.year}`;
    const full = `${p.weekday}, ${dateLong}`;
    const map = {
      date_num: dayKey(date, tz),
      date: dateLong,
      date_short: dateShort,
      date_long: full,
      date_pretty: pretty(date, ctx, dateLong),
      date_short_pretty: pretty(date, ctx, dateShort),
      date_long_pretty: pretty(date, ctx, full),
      time: `${p.hour}:${p.minute} ${p.dayPeriod || ""}`.trim(),
      time_secs: `${p.hour}:${p.minute}:${p.second} ${p.dayPeriod || ""}`.trim(),
      ago: ago(date, ctx),
    };
    return format.replace(/\{(\w+)\}/g, (m, k) => (k in map ? map[k] : m));
  }
  function ago(date, ctx) {
    const s = Math.round((new Date(ctx.now) - date) / 1000);
    const abs = Math.abs(s);
    const [n, unit] = abs < 60 ? [abs, "second"] : abs < 3600 ? [Math.round(abs / 60), "minute"] :
      abs < 86400 ? [Math.round(abs / 3600), "hour"] : [Math.round(abs / 86400), "day"];
    const words = `${n} ${unit}${n === 1 ? "" : "s"}`;
    return s >= 0 ? `${words} ago` : `in ${words}`;
  }

  // --- mrkdwn -------------------------------------------------------------

  function token(t, ctx) {
    const [body, ...rest] = t.split("|");
    const label = rest.join("|");
    if (body.startsWith("@")) {
      const id = body.slice(1);
      const u = ctx.users && ctx.users[id];
      return h("span", { class: "mention", "data-user": id, text: "@" + (u ? u.real_name || u.name : decode(label) || id) });
    }
    if (body.startsWith("#")) {
      return h("span", { class: "mention", text: "#" + (decode(label) || body.slice(1)) });
    }
    if (body.startsWith("!date^")) {
      const [, ts, format] = body.split("^");
      const date = new Date(Number(ts) * 1000);
      if (!format || isNaN(date)) return document.createTextNode(decode(label));
      return h("time", { datetime: date.toISOString(), title: date.toISOString(), text: formatDate(date, format, ctx) });
    }
    if (body.startsWith("!")) {
      const what = body.slice(1).split("^")[0];
      return h("span", { class: "mention", text: decode(label) || "@" + what });
    }
    const url = decode(body);
    if (/^(https?:|mailto:)/i.test(url)) {
      return h("a", { href: url, target: "_blank", rel: "noopener noreferrer", text: decode(label) || url });
    }
    return document.createTextNode(decode("<" + t + ">"));
  }

  const SLOT = 0xe000;
  const slotRe = /[\ue000-\uf8ff]/;
  const wordChar = /[\p{L}\p{N}]/u;

  // text renders plain text with the placeholders of code spans and <…>
  // tokens put back.
  function text(s, slots, ctx, frag) {
    let buf = "";
    const flush = () => { if (buf) frag.append(document.createTextNode(emoji(decode(buf)))); buf = ""; };
    for (const ch of s) {
      if (slotRe.test(ch) && slots[ch.charCodeAt(0) - SLOT]) {
        flush();
        const slot = slots[ch.charCodeAt(0) - SLOT];
        frag.append(slot.code !== undefined ? h("code", { text: decode(slot.code) }) : token(slot.tok, ctx));
      } else buf += ch;
    }
    flush();
    return frag;
  }

  // emphasis renders *bold*, _italic_ and ~strike~, markers standing at
  // word boundaries as Slack wants them.
  function emphasis(s, slots, ctx) {
    const frag = document.createDocumentFragment();
    const re = /([*_~])(?=\S)([^\n]*?\S)\1/g;
    let m;
    while ((m = re.exec(s))) {
      const before = s[m.index - 1], after = s[m.index + m[0].length];
      if ((before === undefined || !wordChar.test(before)) && (after === undefined || !wordChar.test(after))) break;
      re.lastIndex = m.index + 1;
    }
    if (!m) return text(s, slots, ctx, frag);
    text(s.slice(0, m.index), slots, ctx, frag);
    const tag = { "*": "strong", _: "em", "~": "s" }[m[1]];
    frag.append(h(tag, {}, emphasis(m[2], slots, ctx)));
    frag.append(emphasis(s.slice(m.index + m[0].length), slots, ctx));
    return frag;
  }

  function inline(line, ctx) {
    const slots = [];
    const slot = (x) => { slots.push(x); return String.fromCharCode(SLOT + slots.length - 1); };
    let s = line.replace(/`([^`\n]+)`/g, (_, code) => slot({ code }));
    s = s.replace(/<([^<>\n]+)>/g, (_, tok) => slot({ tok }));
    return emphasis(s, slots, ctx);
  }

  // mrkdwn renders Slack's mrkdwn: code blocks, > quotes, line breaks and
  // the inline marks above.
  function mrkdwn(src, ctx) {
    const frag = document.createDocumentFragment();
    String(src || "").split("```").forEach((part, i) => {
      if (i % 2 === 1) {
        frag.append(h("pre", {}, h("code", { text: decode(part.replace(/^\n/, "")) })));
        return;
      }
      let quote = null, prevLine = false;
      for (const line of part.split("\n")) {
        const q = line.match(/^(&gt;|>)\s?/);
        if (q) {
          if (!quote) { quote = h("blockquote"); frag.append(quote); }
          else quote.append(h("br"));
          quote.append(inline(line.slice(q[0].length), ctx));
          prevLine = false;
          continue;
        }
        quote = null;
        if (prevLine) frag.append(h("br"));
        frag.append(inline(line, ctx));
        prevLine = true;
      }
    });
    return frag;
  }

  // textObject renders a plain_text or mrkdwn text object.
  function textObject(t, ctx) {
    if (!t) return document.createDocumentFragment();
    if (t.type === "mrkdwn") return mrkdwn(t.text, ctx);
    return document.createTextNode(t.emoji ? emoji(t.text || "") : t.text || "");
  }
  const plain = (t) => (t && t.text) || "";

  // --- blocks ------------------------------------------------------------

  let seq = 0;
  const uid = (p) => `${p}-${++seq}`;

  function optionLabel(o) { return plain(o.text); }

  // selectOptions are a static_select's options (and option groups), the
  // initial one chosen. A select with a choice cannot be cleared in Slack:
  // only one without offers the placeholder.
  function selectOptions(el, placeholder) {
    const initial = el.initial_option && el.initial_option.value;
    const option = (o) => h("option", { value: o.value, selected: o.value === initial }, optionLabel(o));
    return [
      ...(initial ? [] : [h("option", { value: "" }, placeholder)]),
      ...(el.options || []).map(option),
      ...(el.option_groups || []).map((g) => h("optgroup", { label: plain(g.label) }, (g.options || []).map(option))),
    ];
  }

  function userOptions(ctx, selected) {
    return Object.values(ctx.users || {}).map((u) =>
      h("option", { value: u.id, selected: u.id === selected }, u.real_name || u.name));
  }

  // button renders a button; pressing it asks ctx.onButton.
  function button(el, blockId, ctx) {
    const b = h("button", {
      type: "button",
      class: "bk-button" + (el.style ? " " + el.style : ""),
      "data-action-id": el.action_id,
      "data-block-id": blockId,
    }, textObject(el.text, ctx));
    if (el.url) {
      return h("a", { class: b.className, href: el.url, target: "_blank", rel: "noopener noreferrer" }, textObject(el.text, ctx));
    }
    b.addEventListener("click", async () => {
      if (el.confirm && !(await ctx.confirm(el.confirm))) return;
      b.disabled = true;
      try { await ctx.onButton(el, blockId); } finally { b.disabled = false; }
    });
    return b;
  }

  // actionSelect renders a select outside an input block: picking an
  // option sends block_actions at once.
  function actionSelect(el, blockId, ctx) {
    const label = plain(el.placeholder) || "Choose";
    const sel = h("select", {
      class: "bk-select", "aria-label": label, "data-action-id": el.action_id, "data-block-id": blockId,
    });
    if (el.type === "users_select") {
      sel.append(h("option", { value: "" }, label), ...userOptions(ctx, el.initial_user));
    } else {
      sel.append(...selectOptions(el, label));
    }
    if (!ctx.onSelect) sel.disabled = true;
    sel.addEventListener("change", async () => {
      if (!sel.value) return;
      sel.disabled = true;
      try { await ctx.onSelect(el, blockId, sel.value); } finally { sel.disabled = false; }
    });
    return sel;
  }

  function element(el, blockId, ctx) {
    switch (el.type) {
      case "button": return button(el, blockId, ctx);
      case "static_select":
      case "users_select": return actionSelect(el, blockId, ctx);
      case "image": return h("img", { class: "bk-image-small", src: /^https?:/.test(el.image_url) ? el.image_url : "", alt: el.alt_text || "" });
      case "mrkdwn":
      case "plain_text": return h("span", {}, textObject(el, ctx));
    }
    return h("span", { class: "bk-unsupported", text: `[${el.type} is not shown in the sandbox]` });
  }

  // input renders an input block's element, labelled, with its hint and
  // the error slot the submission's errors go in.
  function input(block, ctx) {
    const el = block.element || {};
    const id = uid("in");
    const errId = id + "-err", hintId = id + "-hint";
    const described = [block.hint ? hintId : null, errId].filter(Boolean).join(" ");
    const optional = !!block.optional;
    const labelText = [textObject(block.label, ctx), optional ? h("span", { class: "optional", text: " (optional)" }) : null];
    const wrap = h("div", {
      class: "bk-input", "data-block-id": block.block_id, "data-action-id": el.action_id,
      "data-type": el.type, "data-optional": optional ? "true" : "false",
    });
    let control;
    switch (el.type) {
      case "radio_buttons":
      case "checkboxes": {
        const kind = el.type === "radio_buttons" ? "radio" : "checkbox";
        const initial = new Set(kind === "radio"
          ? [el.initial_option && el.initial_option.value].filter(Boolean)
          : (el.initial_options || []).map((o) => o.value));
        control = h("fieldset", { class: "bk-choices", "aria-describedby": described, "aria-required": optional ? null : "true" },
          h("legend", {}, labelText),
          (el.options || []).map((o) => {
            const oid = uid("opt");
            return h("div", { class: "bk-choice" },
              h("input", { type: kind, id: oid, name: id, value: o.value, checked: initial.has(o.value) }),
              h("label", { for: oid }, textObject(o.text, ctx)),
              o.description ? h("div", { class: "bk-hint" }, textObject(o.description, ctx)) : null);
          }));
        wrap.append(control);
        break;
      }
      default: {
        const attrs = { id, "aria-describedby": described, required: !optional, "data-control": "true" };
        if (el.type === "plain_text_input") {
          Object.assign(attrs, {
            placeholder: plain(el.placeholder) || null,
            maxlength: el.max_length || null,
            minlength: el.min_length || null,
          });
          control = el.multiline ? h("textarea", { ...attrs, rows: 4 }) : h("input", { ...attrs, type: "text" });
          control.value = el.initial_value || "";
        } else if (el.type === "static_select") {
          control = h("select", attrs, selectOptions(el, plain(el.placeholder) || "Choose an option"));
        } else if (el.type === "users_select") {
          control = h("select", attrs, h("option", { value: "" }, plain(el.placeholder) || "Choose a person"),
            userOptions(ctx, el.initial_user));
        } else if (el.type === "timepicker") {
          control = h("input", { ...attrs, type: "time" });
          control.value = el.initial_time || "";
        } else if (el.type === "datepicker") {
          // The browser's date input gives YYYY-MM-DD, Slack's selected_date.
          control = h("input", { ...attrs, type: "date" });
          control.value = el.initial_date || "";
        } else {
          control = h("span", { class: "bk-unsupported", text: `[${el.type} input is not supported in the sandbox]` });
        }
        wrap.append(h("label", { for: id, class: "bk-label" }, labelText), control);
      }
    }
    if (block.hint) wrap.append(h("div", { class: "bk-hint", id: hintId }, textObject(block.hint, ctx)));
    wrap.append(h("div", { class: "bk-error", id: errId, role: "alert" }));
    const err = ctx.errors && ctx.errors[block.block_id];
    if (err) setError(wrap, err);
    return wrap;
  }

  function setError(wrap, msg) {
    wrap.querySelector(".bk-error").textContent = msg || "";
    wrap.classList.toggle("invalid", !!msg);
    for (const c of wrap.querySelectorAll("[data-control], fieldset")) {
      if (msg) c.setAttribute("aria-invalid", "true"); else c.removeAttribute("aria-invalid");
    }
  }

  function block(b, ctx) {
    const bid = b.block_id;
    switch (b.type) {
      case "header":
        return h("h3", { class: "bk-header" }, textObject(b.text, ctx));
      case "divider":
        return h("hr", { class: "bk-divider" });
      case "section": {
        const sec = h("div", { class: "bk-section" });
        const body = h("div", { class: "bk-section-body" });
        if (b.text) body.append(h("div", { class: "bk-text" }, textObject(b.text, ctx)));
        if (b.fields) body.append(h("div", { class: "bk-fields" }, b.fields.map((f) => h("div", {}, textObject(f, ctx)))));
        sec.append(body);
        if (b.accessory) sec.append(h("div", { class: "bk-accessory" }, element(b.accessory, bid, ctx)));
        return sec;
      }
      case "context":
        return h("div", { class: "bk-context" }, (b.elements || []).map((e) => element(e, bid, ctx)));
      case "actions":
        return h("div", { class: "bk-actions", role: "group" }, (b.elements || []).map((e) => element(e, bid, ctx)));
      case "input":
        return input(b, ctx);
      case "image":
        return h("figure", { class: "bk-image" },
          h("img", { src: /^https?:/.test(b.image_url) ? b.image_url : "", alt: b.alt_text || "" }),
          b.title ? h("figcaption", {}, textObject(b.title, ctx)) : null);
    }
    return h("div", { class: "bk-unsupported", text: `[${b.type} block is not shown in the sandbox]` });
  }

  // render renders blocks. ctx: users (id → person), tz, now, errors
  // (block_id → message), onButton(el, blockId), onSelect(el, blockId,
  // value), confirm(confirmObject) → Promise<boolean>.
  function render(blocks, ctx) {
    const frag = document.createDocumentFragment();
    for (const b of blocks || []) frag.append(block(b, ctx));
    return frag;
  }

  // inputs reads the input blocks under root: block_id → action_id →
  // {value} or {values}.
  function inputs(root) {
    const out = {};
    for (const w of root.querySelectorAll(".bk-input")) {
      const { blockId, actionId, type } = w.dataset;
      let v;
      if (type === "checkboxes") v = { values: [...w.querySelectorAll("input:checked")].map((i) => i.value) };
      else if (type === "radio_buttons") v = { value: (w.querySelector("input:checked") || {}).value || "" };
      else {
        const c = w.querySelector("[data-control]");
        if (!c) continue;
        v = { value: c.value };
      }
      out[blockId] = { [actionId]: v };
    }
    return out;
  }

  // restore puts values read by inputs back, where the same input still
  // exists: Slack keeps what was typed when a modal is updated.
  function restore(root, values) {
    for (const w of root.querySelectorAll(".bk-input")) {
      const v = values[w.dataset.blockId] && values[w.dataset.blockId][w.dataset.actionId];
      if (!v) continue;
      if (v.values) for (const i of w.querySelectorAll("input")) i.checked = v.values.includes(i.value);
      else if (w.dataset.type === "radio_buttons") for (const i of w.querySelectorAll("input")) i.checked = i.value === v.value;
      else {
        const c = w.querySelector("[data-control]");
        if (c && [...(c.options || [{ value: v.value }])].some((o) => o.value === v.value)) c.value = v.value;
      }
    }
  }

  // validate marks required inputs left empty, as Slack's client does
  // before it submits; it returns the first invalid input or null.
  function validate(root) {
    let first = null;
    const values = inputs(root);
    for (const w of root.querySelectorAll(".bk-input")) {
      const v = values[w.dataset.blockId] && values[w.dataset.blockId][w.dataset.actionId];
      const empty = !v || (v.values ? v.values.length === 0 : !String(v.value).trim());
      let msg = "";
      if (empty && w.dataset.optional !== "true") msg = "Please complete this required field.";
      const c = w.querySelector("[data-control]");
      if (!msg && c && c.minLength > 0 && !empty && c.value.length < c.minLength) msg = `Please enter at least ${c.minLength} characters.`;
      setError(w, msg);
      if (msg && !first) first = w;
    }
    return first;
  }

  return { render, mrkdwn, textObject, inputs, restore, validate, h, formatDate };
})();
