// The agent console: the queue of customers a notification could not reach, and one customer's
// profile, next-best-actions (and the notifications not sent, with why) and timeline, kept current
// by the customer's event stream while the page is open.
"use strict";

(() => {
  const { api, el, formatTime, formatNumber, setStatus } = Engage;
  const enc = encodeURIComponent;
  let customerId = null;
  let source = null;
  let retryTimer = null;
  const recorded = new Map(); // actionId -> "accepted" | "dismissed", kept across live refreshes
  let shownActions = new Set();

  // One icon per channel (24x24 outline paths), with a readable name beside it.
  const CHANNELS = {
    web: ["Web", "M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18zM3 12h18M12 3c2.5 2.7 3.8 5.7 3.8 9s-1.3 6.3-3.8 9M12 3c-2.5 2.7-3.8 5.7-3.8 9s1.3 6.3 3.8 9"],
    app: ["App", "M8 2h8a2 2 0 0 1 2 2v16a2 2 0 0 1-2 2H8a2 2 0 0 1-2-2V4a2 2 0 0 1 2-2zM11 18h2"],
    call_center: ["Call center", "M4 14v-2a8 8 0 0 1 16 0v2M4 14h3v5H5a1 1 0 0 1-1-1zM20 14h-3v5h2a1 1 0 0 0 1-1zM17 19c0 1.5-2 2.5-5 2.5"],
    pos: ["Point of sale", "M3 5h2l2.4 10.2a1 1 0 0 0 1 .8h8.9a1 1 0 0 0 1-.8L20 8H6.2M9 20a1 1 0 1 0 0 .1M17 20a1 1 0 1 0 0 .1"],
    email: ["Email", "M3 6h18v12H3zM3 7l9 6 9-6"],
    sms: ["SMS", "M4 5h16v11H9l-5 4zM8 10h8M8 13h5"],
    push: ["Push", "M6 16V11a6 6 0 0 1 12 0v5l2 2H4zM10 20a2 2 0 0 0 4 0"],
    in_app: ["In-app", "M4 4h16v16H4zM4 9h16M8 13h8M8 16h5"],
    ops: ["Operations", "M2 16l8-3V6.5a2 2 0 0 1 4 0V13l8 3v2l-8-2v3l2 1.5V22l-4-1-4 1v-1.5L10 19v-3l-8 2z"],
  };
  const OTHER = ["Other", "M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18zM12 8v5M12 16v.5"];

  function channelIcon(channel) {
    const [label, path] = CHANNELS[channel] || [channel || OTHER[0], OTHER[1]];
    const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("fill", "none");
    svg.setAttribute("stroke", "currentColor");
    svg.setAttribute("stroke-width", "1.8");
    svg.setAttribute("stroke-linecap", "round");
    svg.setAttribute("stroke-linejoin", "round");
    svg.setAttribute("aria-hidden", "true");
    const p = document.createElementNS("http://www.w3.org/2000/svg", "path");
    p.setAttribute("d", path);
    svg.append(p);
    return { label, icon: el("span", { class: "icon", role: "img", "aria-label": label, "data-channel": channel || "" }, svg) };
  }

  function humanize(text) {
    return String(text || "").replace(/_/g, " ");
  }

  // ---- profile ----------------------------------------------------------------------------

  function renderProfile(p) {
    const root = document.getElementById("profile");
    root.replaceChildren();
    if (p.mergedInto) {
      root.append(
        el("p", { class: "merged" }, "This profile was merged into ",
          el("button", { type: "button", class: "secondary", onclick: () => open(p.mergedInto) }, p.mergedInto), "."));
    }
    const prefs = p.preferences || {};
    const declared = prefs.preferredChannel;
    const preferred = declared
      ? humanize(declared) + " (declared)"
      : p.learnedPreferredChannel ? humanize(p.learnedPreferredChannel) + " (learned)" : "\u2014";
    const consent = (name, yes) =>
      el("span", { class: yes ? "yes" : "no", "data-consent": name }, name + (yes ? " \u2713" : " \u2717"), " ");
    const quiet = prefs.quietHoursStart && prefs.quietHoursEnd
      ? prefs.quietHoursStart + "\u2013" + prefs.quietHoursEnd + (prefs.timeZone ? " " + prefs.timeZone : "")
      : "none";

    root.append(
      el("div", { class: "who", id: "profile-id" }, p.customerId),
      el("div", { class: "note" }, "version " + p.version + " \u00b7 last seen " + formatTime(p.lastSeen)),
      el("div", { class: "figures" },
        figure("Historic value", formatNumber(p.historicValue), "historic-value"),
        figure("Predicted 12-month value", formatNumber(p.predictedValue12m), "predicted-value"),
        figure("Lead score", p.leadScore ? p.leadScore.score + " / 100" : "\u2014", "lead-score")),
      scoreFactors(p.leadScore),
      lifetimeValue(p.lifetimeValue),
      el("h3", {}, "Segments"),
      el("div", { id: "segments" },
        (p.segments || []).length ? p.segments.map((s) => el("span", { class: "chip" }, s)) : el("span", { class: "empty" }, "in no segment")),
      el("dl", { class: "facts" },
        el("dt", {}, "Preferred channel"), el("dd", { id: "preferred-channel" }, preferred),
        el("dt", {}, "Consent"), el("dd", { id: "consent" }, consent("email", prefs.consentEmail), consent("SMS", prefs.consentSms), consent("push", prefs.consentPush)),
        el("dt", {}, "Quiet hours"), el("dd", {}, quiet),
        el("dt", {}, "On a disruption"), el("dd", {}, humanize(prefs.onDisruption) || "\u2014"),
        el("dt", {}, "Open cases"), el("dd", {}, String((p.openCases || []).length)),
        el("dt", {}, "RFM"), el("dd", {}, p.rfm ? `R${p.rfm.recency} F${p.rfm.frequency} M${p.rfm.monetary}` : "\u2014"),
        el("dt", {}, "Customer since"), el("dd", {}, formatTime(p.firstSeen))));
  }

  /** What the value model predicts for the customer, once one is published and they bought. */
  function lifetimeValue(value) {
    if (!value) return null;
    return el("div", { id: "lifetime-value" },
      el("h3", {}, "Lifetime value (" + value.model + " v" + value.modelVersion + ")"),
      el("div", { class: "figures" },
        figure("Probability alive", Math.round(100 * value.probabilityAlive) + "%", "probability-alive"),
        figure("Expected purchases, 12 months", formatNumber(value.expectedPurchases12m, 1), "expected-purchases"),
        figure("Expected order value", formatNumber(value.expectedOrderValue), "expected-order-value")));
  }

  function figure(label, value, id) {
    return el("div", { class: "figure" }, el("div", { class: "label" }, label), el("div", { class: "value", id }, value));
  }

  function scoreFactors(score) {
    if (!score || !(score.factors || []).length) return null;
    const max = Math.max(...score.factors.map((f) => Math.abs(f.points)), 1);
    return el("div", {},
      el("h3", {}, "Why this score (" + score.modelId + " v" + score.modelVersion + ")"),
      el("ul", { class: "factors", id: "score-factors" },
        score.factors.map((f) =>
          el("li", {},
            el("span", {}, f.factor),
            el("span", { class: "barline", "aria-hidden": "true" },
              el("span", { style: null, "data-width": Math.round((100 * Math.abs(f.points)) / max) })),
            el("span", { class: "pts" }, formatNumber(f.points, 1) + " pts")))));
  }

  // ---- actions ----------------------------------------------------------------------------

  function renderActions(answer) {
    const list = document.getElementById("actions");
    list.replaceChildren();
    const actions = (answer && answer.actions) || [];
    if (!actions.length) {
      list.append(el("li", { class: "empty" }, "No open actions for this customer."));
    }
    const before = shownActions;
    shownActions = new Set(actions.map((a) => a.actionId));
    for (const action of actions) {
      const fresh = before.size > 0 && !before.has(action.actionId);
      list.append(renderAction(action, fresh));
    }
  }

  function renderAction(a, fresh) {
    const done = recorded.get(a.actionId);
    const item = el("li", { class: "action" + (fresh ? " arrived" : ""), "data-action-id": a.actionId },
      el("h3", {}, a.title || a.code),
      el("p", { class: "reason" }, el("strong", {}, "Why: "), a.reason),
      a.message ? el("p", { class: "meta" }, "Message: " + a.message) : null,
      el("div", { class: "meta" },
        [a.code, "priority " + a.priority, a.channel ? "via " + humanize(a.channel) : null,
          "rule " + a.ruleId + " v" + a.ruleVersion, a.expiresAt ? "until " + formatTime(a.expiresAt) : null]
          .filter(Boolean).join(" \u00b7 ")));
    const buttons = el("div", { class: "buttons" });
    if (done) {
      buttons.append(el("span", { class: "recorded", role: "status" }, done === "accepted" ? "Accepted \u2713" : "Dismissed"));
    } else {
      const label = a.title || a.code;
      buttons.append(
        el("button", { type: "button", "data-response": "accepted", "aria-label": "Accept: " + label, onclick: () => respond(a, "accepted", buttons) }, "Accept"),
        el("button", { type: "button", class: "secondary", "data-response": "dismissed", "aria-label": "Dismiss: " + label, onclick: () => respond(a, "dismissed", buttons) }, "Dismiss"));
    }
    item.append(buttons);
    return item;
  }

  async function respond(action, type, buttons) {
    buttons.querySelectorAll("button").forEach((b) => (b.disabled = true));
    try {
      await api(`/v1/customers/${enc(customerId)}/responses`, {
        method: "POST",
        type: "application/json",
        body: JSON.stringify({ type, actionId: action.actionId, channel: "call_center" }),
      });
      recorded.set(action.actionId, type);
      buttons.replaceChildren(el("span", { class: "recorded", role: "status" }, type === "accepted" ? "Accepted \u2713" : "Dismissed"));
      setStatus("status", (type === "accepted" ? "Accepted " : "Dismissed ") + (action.title || action.code) + ".");
    } catch (e) {
      buttons.querySelectorAll("button").forEach((b) => (b.disabled = false));
      setStatus("status", "Could not record the response: " + e.message, true);
    }
  }

  // ---- not sent ---------------------------------------------------------------------------

  /** Notifications the contact policy held back or suppressed, newest decision first, once each. */
  function renderNotSent(decisions) {
    const list = document.getElementById("not-sent");
    list.replaceChildren();
    document.getElementById("control-group").hidden = !(decisions.length && decisions[0].controlGroup);
    const seen = new Set();
    for (const d of decisions) {
      for (const n of d.notifications || []) {
        if (seen.has(n.actionId)) continue;
        seen.add(n.actionId);
        if (n.verdict === "SEND") continue;
        const last = (n.steps || [])[n.steps.length - 1] || n.reason;
        list.append(
          el("li", { class: "action", "data-held-action-id": n.actionId, "data-reason": n.reason },
            el("h3", {}, n.sourceId + (n.verdict === "DEFER" ? " · deferred" : " · not sent")),
            el("p", { class: "reason" }, el("strong", {}, "Why: "), humanize(n.reason.toLowerCase())),
            el("p", { class: "meta" }, last + (n.until ? " · until " + formatTime(n.until) : ""))));
      }
    }
    if (!list.children.length) list.append(el("li", { class: "empty" }, "Nothing held back."));
  }

  // ---- timeline ---------------------------------------------------------------------------

  function renderTimeline(entries) {
    const list = document.getElementById("timeline");
    list.replaceChildren();
    if (!entries.length) list.append(el("li", { class: "empty" }, "No touchpoints yet."));
    for (const t of entries) {
      const { label, icon } = channelIcon(t.channel);
      const amount = t.amount !== null && t.amount !== undefined ? formatNumber(t.amount) + (t.currency ? " " + t.currency : "") : null;
      list.append(
        el("li", { "data-event-id": t.eventId },
          icon,
          el("div", {},
            el("div", { class: "what" }, humanize(t.type), amount ? " \u00b7 " + amount : ""),
            t.summary ? el("div", {}, t.summary) : null,
            el("div", { class: "channel" }, label)),
          el("time", { datetime: t.occurredAt }, formatTime(t.occurredAt))));
    }
  }

  // ---- tasks: the queue of customers a notification could not reach ------------------------

  const TASKS_EVERY_MS = 15000;

  async function loadTasks() {
    try {
      const answer = await api("/v1/tasks");
      renderTasks(answer.tasks || []);
    } catch (e) {
      setStatus("status", "Could not load the tasks: " + e.message, true);
    }
  }

  function renderTasks(tasks) {
    const list = document.getElementById("tasks");
    list.replaceChildren();
    if (!tasks.length) list.append(el("li", { class: "empty" }, "No customer waiting."));
    for (const t of tasks) {
      const buttons = el("div", { class: "buttons" });
      const item = el("li", { class: "action", "data-task-id": t.taskId, "data-status": t.status },
        el("h3", {}, t.customerId + " \u00b7 " + humanize(t.kind)),
        el("p", { class: "reason" }, t.reason),
        el("p", { class: "meta" }, formatTime(t.createdAt) + (t.status === "claimed" ? " \u00b7 claimed by " + t.claimedBy : "")),
        buttons);
      buttons.append(el("button", { type: "button", class: "secondary", onclick: () => open(t.customerId) }, "Open customer"));
      if (t.status === "open") {
        buttons.append(el("button", { type: "button", "data-task": "claim", onclick: () => changeTask(t, "claim", {}) }, "Claim"));
      } else {
        const outcome = el("input", { type: "text", "aria-label": "Outcome for " + t.customerId, placeholder: "What came of it", maxlength: "500" });
        buttons.append(outcome,
          el("button", { type: "button", "data-task": "close", onclick: () => changeTask(t, "close", { outcome: outcome.value }) }, "Close"));
      }
      list.append(item);
    }
  }

  async function changeTask(task, what, body) {
    try {
      await api(`/v1/customers/${enc(task.customerId)}/tasks/${enc(task.taskId)}/${what}`, {
        method: "POST",
        type: "application/json",
        body: JSON.stringify(body),
      });
      setStatus("status", (what === "claim" ? "Claimed" : "Closed") + " the task for " + task.customerId + ".");
    } catch (e) {
      setStatus("status", "Could not " + what + " the task: " + e.message, true);
    }
    loadTasks();
  }

  document.getElementById("tasks-refresh").addEventListener("click", loadTasks);

  // ---- loading and live updates -----------------------------------------------------------

  const path = (suffix) => `/v1/customers/${enc(customerId)}${suffix}`;

  async function loadProfile() {
    const [profile, timeline] = await Promise.all([api(path("")), api(path("/timeline"))]);
    renderProfile(profile);
    renderTimeline(timeline || []);
    document.querySelectorAll("#score-factors [data-width]").forEach((bar) => (bar.style.width = bar.dataset.width + "%"));
  }

  async function loadActions() {
    const [actions, decisions] = await Promise.all([api(path("/next-best-actions")), api(path("/decisions"))]);
    renderActions(actions);
    renderNotSent((decisions && decisions.decisions) || []);
  }

  async function refresh(what) {
    try {
      if (what !== "actions") await loadProfile();
      if (what !== "profile") await loadActions();
    } catch (e) {
      setStatus("status", "Could not refresh: " + e.message, true);
    }
  }

  function setLive(state) {
    const live = document.getElementById("live");
    live.textContent = state;
    live.classList.toggle("up", state === "live");
  }

  function closeStream() {
    clearTimeout(retryTimer);
    if (source) source.close();
    source = null;
  }

  // EventSource cannot send the key, so each (re)connection asks for a 60-second stream token.
  async function connect(id) {
    closeStream();
    let ticket;
    try {
      ticket = await api(`/v1/customers/${enc(id)}/stream-token`, { method: "POST" });
    } catch (e) {
      setLive("offline");
      retryTimer = setTimeout(() => id === customerId && connect(id), 5000);
      return;
    }
    if (id !== customerId) return;
    const stream = new EventSource(ticket.stream);
    source = stream;
    let opened = false;
    stream.addEventListener("ready", () => {
      setLive("live");
      if (opened) refresh("all"); // back after a gap: what changed meanwhile was missed
      opened = true;
    });
    stream.addEventListener("profile", () => refresh("profile"));
    stream.addEventListener("actions", () => refresh("actions"));
    stream.addEventListener("update", () => refresh("all"));
    stream.addEventListener("error", () => {
      if (stream !== source) return;
      setLive("reconnecting");
      if (stream.readyState === EventSource.CLOSED) {
        // refused (an expired token after a drop) or gone: a new token, then again
        retryTimer = setTimeout(() => id === customerId && connect(id), 2000);
      }
    });
  }

  async function open(id) {
    id = id.trim();
    if (!id) return;
    closeStream();
    customerId = id;
    recorded.clear();
    shownActions = new Set();
    document.getElementById("customer-id").value = id;
    history.replaceState(null, "", "#" + enc(id));
    setStatus("status", "Loading " + id + "\u2026");
    try {
      await loadProfile();
      await loadActions();
    } catch (e) {
      document.getElementById("customer").hidden = true;
      setStatus("status", e.status === 404 ? `No customer with id \u201c${id}\u201d.` : "Could not load " + id + ": " + e.message, true);
      return;
    }
    document.getElementById("customer").hidden = false;
    setStatus("status", "");
    connect(id);
  }

  /** An email or a phone number is resolved to the customer id first; anything else is an id. */
  async function lookUp(typed) {
    const value = typed.trim();
    const by = value.includes("@") ? "email" : /^\+?[0-9][0-9 ()\/.-]{5,}$/.test(value) ? "phone" : null;
    if (!by) return open(value);
    setStatus("status", "Looking up " + value + "\u2026");
    try {
      const found = await api(`/v1/customers?${by}=${encodeURIComponent(value)}`);
      return open(found.customerId);
    } catch (e) {
      setStatus("status", e.status === 404 ? `No customer with ${by} \u201c${value}\u201d.` : "Could not look up " + value + ": " + e.message, true);
    }
  }

  document.getElementById("lookup").addEventListener("submit", (event) => {
    event.preventDefault();
    lookUp(document.getElementById("customer-id").value);
  });
  window.addEventListener("beforeunload", closeStream);

  Engage.init(() => {
    loadTasks();
    setInterval(loadTasks, TASKS_EVERY_MS);
    const fromHash = decodeURIComponent(location.hash.slice(1));
    if (fromHash) open(fromHash);
    else document.getElementById("customer-id").focus();
  });
})();
