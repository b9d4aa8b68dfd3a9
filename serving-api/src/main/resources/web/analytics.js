// The analytics page: figures the stream jobs keep, drawn with Apache ECharts (served from its webjar).
"use strict";

(() => {
  const { api, el, formatNumber, setStatus } = Engage;
  const charts = {};
  let attribution = null;
  let segments = null;

  function chart(id) {
    if (!charts[id]) charts[id] = echarts.init(document.getElementById(id), null, { renderer: "canvas" });
    return charts[id];
  }

  /** Draws the option, or says there is nothing to draw yet. */
  function draw(id, hasData, option) {
    const c = chart(id);
    c.clear();
    c.setOption(hasData ? option : {
      title: { text: "No figures yet", left: "center", top: "middle", textStyle: { color: "#6b7585", fontSize: 14 } },
    });
    document.getElementById(id).dataset.state = hasData ? "drawn" : "empty";
  }

  function drawDaily(days) {
    const hasData = days.some((d) => d.fired || d.sent || d.converted);
    draw("daily-chart", hasData, {
      tooltip: { trigger: "axis" },
      legend: { data: ["Fired", "Sent", "Converted"] },
      xAxis: { type: "category", data: days.map((d) => d.day.slice(5)) },
      yAxis: { type: "value", minInterval: 1 },
      series: [
        { name: "Fired", type: "line", data: days.map((d) => d.fired) },
        { name: "Sent", type: "line", data: days.map((d) => d.sent) },
        { name: "Converted", type: "line", data: days.map((d) => d.converted) },
      ],
    });
  }

  function drawAttribution() {
    const model = document.getElementById("model").value;
    const rows = (attribution ? attribution.rows : []).filter((r) => r.credit[model] > 0);
    draw("attribution-chart", rows.length > 0, {
      tooltip: { trigger: "axis", valueFormatter: (v) => formatNumber(v * 100, 1) + "%" },
      xAxis: { type: "category", data: rows.map((r) => r.channel) },
      yAxis: { type: "value", axisLabel: { formatter: (v) => Math.round(v * 100) + "%" } },
      series: [{ type: "bar", barMaxWidth: 80, data: rows.map((r) => r.share[model]), itemStyle: { color: "#2456c9" } }],
    });
  }

  /** The difference as a point and its interval as a bar with caps, per campaign. */
  function drawUplift(campaigns) {
    const measured = campaigns.filter((c) => c.uplift.interval);
    draw("uplift-chart", measured.length > 0, {
      tooltip: { trigger: "item" },
      xAxis: { type: "category", data: measured.map((c) => c.campaign) },
      yAxis: { type: "value", axisLabel: { formatter: (v) => Math.round(v * 100) + " pts" } },
      series: [
        {
          name: "95% interval",
          type: "custom",
          renderItem: (params, api) => {
            const x = api.value(0);
            const low = api.coord([x, api.value(1)]);
            const high = api.coord([x, api.value(2)]);
            const half = Math.min(api.size([1, 0])[0] * 0.1, 12);
            const style = { stroke: "#1b3f8a", lineWidth: 2 };
            return {
              type: "group",
              children: [
                { type: "line", shape: { x1: low[0], y1: low[1], x2: high[0], y2: high[1] }, style },
                { type: "line", shape: { x1: low[0] - half, y1: low[1], x2: low[0] + half, y2: low[1] }, style },
                { type: "line", shape: { x1: high[0] - half, y1: high[1], x2: high[0] + half, y2: high[1] }, style },
              ],
            };
          },
          data: measured.map((c, i) => [i, c.uplift.interval[0], c.uplift.interval[1]]),
          encode: { x: 0, y: [1, 2] }, // the axis spans the intervals, not only the points
          z: 1,
        },
        {
          name: "Uplift",
          type: "scatter",
          symbolSize: 12,
          data: measured.map((c) => c.uplift.difference),
          itemStyle: { color: "#c03b2b" },
          markLine: { silent: true, symbol: "none", label: { show: false }, data: [{ yAxis: 0 }], lineStyle: { color: "#6b7585" } },
          z: 2,
        },
      ],
    });
  }

  function percent(rate) {
    return rate === null || rate === undefined ? "\u2014" : formatNumber(rate * 100, 1) + "%";
  }

  function fillCampaigns(campaigns) {
    const body = document.querySelector("#campaigns tbody");
    body.replaceChildren(
      ...campaigns.map((c) => {
        const u = c.uplift;
        const suppressed = Object.entries(c.suppressed).map(([reason, n]) => reason + " " + n).join(", ");
        const uplift = u.interval
          ? formatNumber(u.difference * 100, 1) + " pts [" + formatNumber(u.interval[0] * 100, 1) + ", " + formatNumber(u.interval[1] * 100, 1) + "]"
          : "no control group";
        return el("tr", { "data-campaign": c.campaign },
          el("td", {}, c.campaign), el("td", {}, c.fired), el("td", {}, c.decided), el("td", {}, c.sent),
          el("td", {}, c.delivered), el("td", {}, c.opened), el("td", {}, c.clicked),
          el("td", {}, u.treated.converted + "/" + u.treated.exposed + " (" + percent(u.treated.rate) + ") vs "
            + u.control.converted + "/" + u.control.exposed + " (" + percent(u.control.rate) + ")"),
          el("td", {}, uplift), el("td", {}, suppressed || "\u2014"));
      }));
  }

  function drawSegments() {
    const facet = document.getElementById("facet").value;
    const list = segments ? segments.segments : [];
    const values = [...new Set(list.flatMap((s) => Object.keys(s[facet])))].sort();
    draw("segments-chart", values.length > 0, {
      tooltip: { trigger: "axis" },
      legend: { data: values },
      xAxis: { type: "category", data: list.map((s) => s.segment) },
      yAxis: { type: "value", minInterval: 1 },
      series: values.map((v) => ({ name: v, type: "bar", stack: "customers", barMaxWidth: 60, data: list.map((s) => s[facet][v] || 0) })),
    });
    document.querySelector("#segments tbody").replaceChildren(
      ...list.map((s) => el("tr", { "data-segment": s.segment },
        el("td", {}, s.segment), el("td", {}, s.customers),
        el("td", {}, s.promotion.accepted + " / " + s.promotion.shown),
        el("td", {}, formatNumber(s.people.callsPerCustomer, 2)),
        el("td", {}, s.process.customersWithOpenCase),
        el("td", {}, "no data source"))));
  }

  function fillAgents(agents) {
    document.querySelector("#agents tbody").replaceChildren(
      ...agents.map((a) => el("tr", {},
        el("td", {}, a.agent), el("td", {}, a.calls),
        el("td", {}, a.averageHandleSeconds === null ? "\u2014" : formatNumber(a.averageHandleSeconds / 60, 1) + " min"),
        el("td", {}, a.shown), el("td", {}, a.accepted + " (" + percent(a.acceptanceRate) + ")"),
        el("td", {}, a.converted))));
  }

  async function load() {
    setStatus("page-status", "Loading\u2026");
    try {
      const [daily, attributed, campaigns, bySegment, agents] = await Promise.all([
        api("/v1/analytics/daily?days=30"),
        api("/v1/analytics/attribution?by=channel"),
        api("/v1/analytics/campaigns"),
        api("/v1/analytics/segments"),
        api("/v1/analytics/agents"),
      ]);
      attribution = attributed;
      segments = bySegment;
      drawDaily(daily.days);
      drawAttribution();
      drawUplift(campaigns.campaigns);
      fillCampaigns(campaigns.campaigns);
      drawSegments();
      fillAgents(agents.agents);
      setStatus("page-status", "");
      document.body.dataset.loaded = "true";
    } catch (e) {
      setStatus("page-status", "Could not load the figures: " + e.message, true);
    }
  }

  document.getElementById("model").addEventListener("change", drawAttribution);
  document.getElementById("facet").addEventListener("change", drawSegments);
  document.getElementById("refresh").addEventListener("click", load);
  window.addEventListener("resize", () => Object.values(charts).forEach((c) => c.resize()));
  Engage.init(load);
})();
