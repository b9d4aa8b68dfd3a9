// The rule studio: published definitions with their fire counts and action statistics, a YAML/JSON editor checked as you
// type, save, enable or disable, backtest on recent touchpoints, version history.
"use strict";

(() => {
  const { api, el, formatTime, formatNumber, setStatus } = Engage;
  const enc = encodeURIComponent;
  const source = document.getElementById("source");
  const gutter = document.getElementById("gutter");
  let selected = null; // the published summary of the open definition, or null for a new one
  let problems = [];
  let validateTimer = null;
  let validation = 0;

  const TEMPLATE = `id: my-rule
name: Describe what it does
when:
  kind: event
  condition: "event.type == 'purchase' && event.amount > 100.0"
action:
  code: THANK_YOU
  notify: preferred
  template: "Thank you for your order, {{profile.customerId}}!"
  agent: true
  priority: 50
`;

  // ---- list --------------------------------------------------------------------------------

  async function loadList() {
    let answer;
    const stats = loadStats();
    try {
      answer = await api("/v1/rules");
    } catch (e) {
      setStatus("list-status", "Could not load the rules: " + e.message, true);
      return;
    }
    const byCode = await stats;
    setStatus("list-status", answer.rules.length ? "" : "Nothing is published yet.");
    const body = document.querySelector("#rules tbody");
    body.replaceChildren(
      ...answer.rules.map((r) =>
        el("tr", { "data-rule-id": r.id, class: selected && selected.id === r.id ? "selected" : null },
          el("td", {}, el("button", { type: "button", class: "link", onclick: () => openRule(r.id) }, r.id)),
          el("td", {}, r.kind.replace(/_/g, " ")),
          el("td", {}, el("span", { class: "badge " + (r.enabled ? "on" : "off") }, r.enabled ? "enabled" : "disabled")),
          el("td", {}, "v" + r.version),
          firedCell(r),
          statsCell(r, byCode))));
  }

  /** GET /v1/actions/stats by action code; null when it cannot be read (the list still shows). */
  async function loadStats() {
    try {
      const answer = await api("/v1/actions/stats");
      return new Map(answer.actions.map((a) => [a.code, a]));
    } catch (e) {
      return null;
    }
  }

  /** What customers did with the rule's or offer's action: accepted of shown, treated vs control. */
  function statsCell(r, byCode) {
    if (!r.actionCode) return el("td", { class: "stats", title: "proposes no action" }, "\u2014");
    if (!byCode) return el("td", { class: "stats" }, "unavailable");
    const a = byCode.get(r.actionCode);
    if (!a || !a.shown) return el("td", { class: "stats", "data-code": r.actionCode, "data-shown": 0 }, "not shown yet");
    const pct = (x) => Math.round(x * 100) + "%";
    const interval = `${Math.round(a.interval[0] * 100)}\u2013${pct(a.interval[1])}`;
    const group = (name, g) => `${name} ${g.shown ? pct(g.rate) + " of " + formatNumber(g.shown, 0) : "\u2014"}`;
    return el("td", { class: "stats", "data-code": r.actionCode, "data-shown": a.shown, "data-accepted": a.accepted,
        title: `${r.actionCode}: accepted of the actions that reached an outcome, with the 95% interval` },
      `${formatNumber(a.accepted, 0)} of ${formatNumber(a.shown, 0)} (${pct(a.rate)}, 95%: ${interval})`,
      el("span", { class: "note groups" }, ` ${group("treated", a.treated)} \u00b7 ${group("control", a.control)}`));
  }

  /** Firings from the triggers topic: the total, with the last day and the last time on hover. */
  function firedCell(r) {
    if (r.kind !== "rule" || !r.fired) return el("td", { class: "fired", title: "only trigger rules fire" }, "\u2014");
    const f = r.fired;
    const title = f.lastFiredAt ? `${f.last24h} in the last 24 h; last ${formatTime(f.lastFiredAt)}` : "never fired";
    return el("td", { class: "fired", "data-fired": f.total, title },
      formatNumber(f.total, 0), f.last24h ? el("span", { class: "note" }, ` (${formatNumber(f.last24h, 0)} in 24 h)`) : null);
  }

  async function openRule(id) {
    try {
      const rule = await api("/v1/rules/" + enc(id));
      selected = rule;
      source.value = rule.source;
      showRule();
      problems = [];
      renderProblems();
      validateSoon(0);
      document.getElementById("backtest-results").hidden = true;
      setStatus("save-status", "");
      loadList();
    } catch (e) {
      setStatus("list-status", "Could not open " + id + ": " + e.message, true);
    }
  }

  function showRule() {
    document.getElementById("editor-title").textContent = selected ? selected.id : "New rule";
    const state = document.getElementById("rule-state");
    state.replaceChildren();
    const toggle = document.getElementById("toggle");
    toggle.disabled = !selected;
    document.getElementById("delete").disabled = !selected;
    if (selected) {
      state.append(el("span", { class: "badge " + (selected.enabled ? "on" : "off"), id: "rule-status" }, selected.enabled ? "enabled" : "disabled"), " v" + selected.version);
      toggle.textContent = selected.enabled ? "Disable" : "Enable";
    }
    document.getElementById("history").replaceChildren(
      selected
        ? el("p", { id: "current-version" }, `Version ${selected.version}, saved by ${selected.updatedBy} on ${formatTime(selected.updatedAt)}` +
            (selected.owner ? ` (owner ${selected.owner})` : "") + ".")
        : el("p", { class: "empty" }, "Not published yet."));
    if (selected) loadVersions(selected.id);
  }

  // ---- version history -----------------------------------------------------------------------

  /** Lists every version from the history topic under the current one; a click loads its source. */
  async function loadVersions(id, attempt = 0) {
    const box = document.getElementById("versions");
    let answer;
    try {
      answer = await api("/v1/rules/" + enc(id) + "/versions");
    } catch (e) {
      answer = null;
      // 404: published before the history topic existed, or not yet read by the API
      if (e.status !== 404) {
        box.replaceChildren(el("p", { class: "status error" }, "Could not load the versions: " + e.message));
        return;
      }
    }
    if (!selected || selected.id !== id) return; // another rule was opened meanwhile
    const newest = answer && answer.versions.find((v) => !v.deleted);
    if ((!newest || newest.version < selected.version) && attempt < 5) {
      // the API reads the history in the background: a version just saved may be a moment behind
      setTimeout(() => loadVersions(id, attempt + 1), 500);
      return;
    }
    box.replaceChildren();
    if (!answer) return;
    box.append(el("ol", { id: "version-list", class: "versions" },
      ...answer.versions.map((v) => v.deleted
        ? el("li", { class: "deleted" }, `Deleted on ${formatTime(v.deletedAt)}`)
        : el("li", { "data-version": v.version },
            el("button", { type: "button", class: "link", onclick: () => loadVersion(v) }, "v" + v.version),
            ` ${v.enabled ? "enabled" : "disabled"}, saved by ${v.updatedBy || "unknown"} on ${formatTime(v.updatedAt)}`,
            v.version === selected.version ? el("span", { class: "badge on" }, "current") : null))));
  }

  function loadVersion(v) {
    source.value = v.source;
    problems = [];
    renderProblems();
    validateSoon(0);
    setStatus("save-status", `Loaded version ${v.version} into the editor; Save publishes it as a new version.`);
  }

  // ---- editor and validation ----------------------------------------------------------------

  function renderGutter() {
    const lines = source.value.split("\n").length;
    const bad = new Map();
    for (const p of problems) if (p.line > 0 && !bad.has(p.line)) bad.set(p.line, p.message);
    const rows = [];
    for (let n = 1; n <= lines; n++) {
      rows.push(bad.has(n) ? el("span", { class: "err", title: bad.get(n) }, String(n)) : String(n), "\n");
    }
    gutter.replaceChildren(...rows);
    gutter.scrollTop = source.scrollTop;
  }

  function renderProblems(headline) {
    const list = document.getElementById("problems");
    list.replaceChildren(
      ...problems.map((p) =>
        el("li", { class: "problem", "data-line": p.line, "data-column": p.column },
          p.line > 0
            ? el("button", { type: "button", onclick: () => jumpTo(p.line, p.column), "aria-label": `Go to line ${p.line}, column ${p.column}` },
                `Line ${p.line}, column ${p.column}`)
            : null,
          (p.field ? p.field + ": " : "") + p.message)));
    const validity = document.getElementById("validity");
    validity.className = "validity " + (problems.length ? "bad" : headline ? "ok" : "");
    validity.textContent = problems.length
      ? problems.length === 1 ? "1 problem" : problems.length + " problems"
      : headline || "";
    renderGutter();
  }

  function jumpTo(line, column) {
    const lines = source.value.split("\n");
    let offset = 0;
    for (let i = 0; i < line - 1 && i < lines.length; i++) offset += lines[i].length + 1;
    offset += Math.max(0, column - 1);
    source.focus();
    source.setSelectionRange(offset, offset);
  }

  function validateSoon(delay = 400) {
    clearTimeout(validateTimer);
    validateTimer = setTimeout(validate, delay);
  }

  async function validate() {
    const text = source.value;
    if (!text.trim()) {
      problems = [];
      renderProblems();
      return;
    }
    const mine = ++validation;
    try {
      const answer = await api("/v1/rules/validate", { method: "POST", type: contentType(text), body: text });
      if (mine !== validation) return; // an older answer after a newer edit
      problems = answer.errors || [];
      renderProblems(answer.valid ? `Valid ${answer.kind.replace(/_/g, " ")} \u201c${answer.id}\u201d` : null);
    } catch (e) {
      if (mine === validation) setStatus("save-status", "Could not validate: " + e.message, true);
    }
  }

  function contentType(text) {
    return /^\s*[{[]/.test(text) ? "application/json" : "application/yaml";
  }

  /** The definition's id, read from the text even when it does not validate. */
  function idOf(text) {
    if (contentType(text) === "application/json") {
      try {
        return JSON.parse(text).id || null;
      } catch (e) {
        return null;
      }
    }
    const match = /^id:[ \t]*["']?([^"'\s#]+)/m.exec(text);
    return match ? match[1] : null;
  }

  /** The text with its top-level enabled switch set. */
  function withEnabled(text, enabled) {
    if (contentType(text) === "application/json") {
      const json = JSON.parse(text);
      json.enabled = enabled;
      return JSON.stringify(json, null, 2);
    }
    if (/^enabled:.*$/m.test(text)) return text.replace(/^enabled:.*$/m, "enabled: " + enabled);
    return text.replace(/^(id:.*)$/m, "$1\nenabled: " + enabled);
  }

  // ---- save, enable, delete, backtest ------------------------------------------------------------

  async function save(text) {
    const id = idOf(text);
    if (!id) {
      problems = [{ line: 1, column: 1, field: "id", message: "the definition needs an id" }];
      renderProblems();
      return false;
    }
    setStatus("save-status", "Saving " + id + "\u2026");
    try {
      const answer = await api("/v1/rules/" + enc(id), { method: "PUT", type: contentType(text), body: text });
      problems = [];
      renderProblems("Saved");
      setStatus("save-status",
        answer.changed ? `Saved ${id} as version ${answer.version} (${answer.enabled ? "enabled" : "disabled"}).` : `No change: ${id} stays at version ${answer.version}.`);
      await openRuleQuietly(id);
      return true;
    } catch (e) {
      if (e.status === 400 && e.problem.errors) {
        problems = e.problem.errors;
        renderProblems();
        setStatus("save-status", "Not saved: fix the problems above.", true);
      } else {
        setStatus("save-status", "Not saved: " + e.message, true);
      }
      return false;
    }
  }

  async function openRuleQuietly(id) {
    selected = await api("/v1/rules/" + enc(id));
    showRule();
    loadList();
  }

  async function toggle() {
    if (!selected) return;
    const enable = !selected.enabled;
    let text;
    try {
      text = withEnabled(source.value, enable);
    } catch (e) {
      setStatus("save-status", "Fix the JSON first: " + e.message, true);
      return;
    }
    source.value = text;
    renderGutter();
    if (await save(text)) setStatus("save-status", `${selected.id} is ${enable ? "enabled" : "disabled"} (version ${selected.version}).`);
  }

  async function remove() {
    if (!selected || !confirm(`Delete ${selected.id}? Running state for it is dropped.`)) return;
    try {
      await api("/v1/rules/" + enc(selected.id), { method: "DELETE" });
      setStatus("save-status", "Deleted " + selected.id + ".");
      selected = null;
      showRule();
      loadList();
    } catch (e) {
      setStatus("save-status", "Not deleted: " + e.message, true);
    }
  }

  async function backtest() {
    const text = source.value;
    const id = idOf(text);
    if (!id) return;
    const since = document.getElementById("since").value;
    const box = document.getElementById("backtest-body");
    document.getElementById("backtest-results").hidden = false;
    box.replaceChildren(el("p", { class: "status", role: "status" }, "Replaying the last " + since + " of touchpoints\u2026"));
    try {
      const r = await api(`/v1/rules/${enc(id)}/backtest?since=${enc(since)}`, { method: "POST", type: contentType(text), body: text });
      box.replaceChildren(...[
        el("div", { class: "figures", id: "backtest-figures" },
          fig("Touchpoints replayed", r.events, "events"), fig("Would have fired", r.firings, "firings"), fig("Customers", r.customers, "customers"), fig("Took", formatNumber(r.seconds, 1) + " s")),
        r.note ? el("p", { class: "note" }, r.note) : null,
        r.samples.length
          ? el("table", { id: "backtest-samples" },
              el("caption", { class: "visually-hidden" }, "Sample firings"),
              el("thead", {}, el("tr", {}, el("th", { scope: "col" }, "Customer"), el("th", { scope: "col" }, "When"), el("th", { scope: "col" }, "Why"))),
              el("tbody", {}, r.samples.map((s) => el("tr", {}, el("td", {}, s.customerId), el("td", {}, formatTime(s.occurredAt)), el("td", {}, s.explanation)))))
          : el("p", { class: "empty" }, "It would not have fired on these touchpoints."),
      ].filter(Boolean));
    } catch (e) {
      if (e.status === 400 && e.problem.errors) {
        problems = e.problem.errors;
        renderProblems();
      }
      box.replaceChildren(el("p", { class: "status error" }, "Backtest failed: " + e.message));
    }
  }

  function fig(label, value, name) {
    return el("div", { class: "figure" }, el("div", { class: "label" }, label), el("div", { class: "value", "data-figure": name || null }, String(value)));
  }

  function newRule() {
    selected = null;
    source.value = TEMPLATE;
    problems = [];
    showRule();
    renderProblems();
    validateSoon(0);
    document.getElementById("backtest-results").hidden = true;
    setStatus("save-status", "");
    loadList();
    source.focus();
  }

  source.addEventListener("input", () => {
    renderGutter();
    validateSoon();
  });
  source.addEventListener("scroll", () => (gutter.scrollTop = source.scrollTop));
  source.addEventListener("keydown", (event) => {
    if (event.key === "Tab" && !event.shiftKey && !event.ctrlKey && !event.altKey) {
      // two spaces, as YAML wants; Escape then Tab leaves the editor
      if (source.dataset.escaped === "1") return;
      event.preventDefault();
      source.setRangeText("  ", source.selectionStart, source.selectionEnd, "end");
      renderGutter();
    }
    source.dataset.escaped = event.key === "Escape" ? "1" : "0";
  });
  document.getElementById("save").addEventListener("click", () => save(source.value));
  document.getElementById("toggle").addEventListener("click", toggle);
  document.getElementById("delete").addEventListener("click", remove);
  document.getElementById("backtest").addEventListener("click", backtest);
  document.getElementById("new-rule").addEventListener("click", newRule);

  source.value = TEMPLATE;
  renderGutter();
  Engage.init(() => {
    loadList();
    validateSoon(0);
  });
})();
