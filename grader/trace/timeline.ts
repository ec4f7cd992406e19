/**
 * Chapter 09's trace as a timeline: one lane per logical worker (and one for code outside the workers), each poll a
 * box coloured by where the task came from, steals as arrows from the victim's lane, wakes, parks, searches,
 * maintenance and idle waits marked, and a summary of the runtime's counters. Pure: a `SchedulerTrace` in, an HTML
 * string out (`layout` computes the geometry, in units, for the page and for tests).
 *
 * The x axis is the interleaver's steps, in order: each step one unit wide, plus the CPU work its poll declared
 * (the scenarios count work instead of timing it), so a hog's poll is as wide as its work and the page is the same
 * for the same seed.
 */
import type { SchedulerTrace, TraceEventData } from "./model.ts";
import { esc, num, page } from "./page.ts";

export type Source = "lifo" | "local" | "inject" | "steal";

export interface PollBox {
  worker: number;
  task: number;
  source: Source;
  step: number;
  u0: number;
  u1: number;
  complete: boolean;
  work: number;
}
export interface Span {
  worker: number;
  kind: "park" | "park-driver" | "search";
  u0: number;
  u1: number;
  step: number;
}
export interface Mark {
  worker: number;
  kind: "wake" | "maintenance" | "overflow" | "block-on";
  u: number;
  step: number;
  /** wake: the task and where it went; overflow: how many; block-on: whether it completed */
  task?: number;
  to?: "lifo" | "local" | "inject";
  count?: number;
  complete?: boolean;
}
export interface Steal {
  thief: number;
  victim: number;
  count: number;
  u: number;
  step: number;
}

export interface Timeline {
  /** total width in units */
  units: number;
  /** lanes top to bottom: -1 (outside the workers) when anything happened there, then 0..N-1 */
  lanes: number[];
  /** each step's first unit, for the axis */
  steps: { step: number; u: number }[];
  polls: PollBox[];
  spans: Span[];
  marks: Mark[];
  steals: Steal[];
  idles: { u: number; step: number }[];
}

/** Groups consecutive events of one step, and gives each step its width: 1 + the work its polls declared. */
function columns(events: readonly TraceEventData[]): { step: number; events: TraceEventData[]; u0: number; width: number }[] {
  const out: { step: number; events: TraceEventData[]; u0: number; width: number }[] = [];
  for (const e of events) {
    const last = out.at(-1);
    if (last !== undefined && last.step === e.step) last.events.push(e);
    else out.push({ step: e.step, events: [e], u0: 0, width: 1 });
  }
  let u = 0;
  for (const c of out) {
    c.u0 = u;
    c.width = 1 + c.events.reduce((w, e) => w + (e.kind === "poll-end" ? (e.work ?? 0) : 0), 0);
    u += c.width;
  }
  return out;
}

export function layout(trace: Pick<SchedulerTrace, "events" | "workers">): Timeline {
  const cols = columns(trace.events);
  const units = cols.reduce((u, c) => u + c.width, 0);
  const polls: PollBox[] = [];
  const spans: Span[] = [];
  const marks: Mark[] = [];
  const steals: Steal[] = [];
  const idles: { u: number; step: number }[] = [];
  const open = new Map<number, PollBox>();
  const parked = new Map<number, Span>();
  const searching = new Map<number, Span>();
  let outside = false;
  for (const c of cols) {
    const n = c.events.length;
    c.events.forEach((e, i) => {
      const u = c.u0 + (c.width * (i + 0.5)) / n;
      if (e.worker < 0 && e.kind !== "idle") outside = true;
      switch (e.kind) {
        case "poll": {
          const box: PollBox = { worker: e.worker, task: e.task, source: e.source, step: e.step, u0: c.u0, u1: c.u0 + c.width, complete: false, work: 0 };
          polls.push(box);
          open.set(e.worker, box);
          break;
        }
        case "poll-end": {
          const box = open.get(e.worker);
          if (box !== undefined && box.task === e.task) {
            box.complete = e.complete;
            box.work = e.work ?? 0;
            open.delete(e.worker);
          }
          break;
        }
        case "wake":
          marks.push({ worker: e.worker, kind: "wake", u, step: e.step, task: e.task, to: e.remote ? "inject" : e.lifo ? "lifo" : "local" });
          break;
        case "steal":
          steals.push({ thief: e.worker, victim: e.victim, count: e.count, u, step: e.step });
          break;
        case "overflow":
          marks.push({ worker: e.worker, kind: "overflow", u, step: e.step, count: e.count });
          break;
        case "maintenance":
          marks.push({ worker: e.worker, kind: "maintenance", u, step: e.step });
          break;
        case "block-on":
          marks.push({ worker: -1, kind: "block-on", u: c.u0, step: e.step, complete: e.complete });
          break;
        case "park": {
          const span: Span = { worker: e.worker, kind: e.driver ? "park-driver" : "park", u0: u, u1: units, step: e.step };
          spans.push(span);
          parked.set(e.worker, span);
          break;
        }
        case "unpark": {
          const span = parked.get(e.worker);
          if (span !== undefined) span.u1 = u;
          parked.delete(e.worker);
          break;
        }
        case "search": {
          if (e.searching) {
            const span: Span = { worker: e.worker, kind: "search", u0: u, u1: units, step: e.step };
            spans.push(span);
            searching.set(e.worker, span);
          } else {
            const span = searching.get(e.worker);
            if (span !== undefined) span.u1 = u;
            searching.delete(e.worker);
          }
          break;
        }
        case "idle":
          idles.push({ u, step: e.step });
          break;
      }
    });
  }
  const lanes = [...(outside ? [-1] : []), ...Array.from({ length: trace.workers }, (_, i) => i)];
  return { units, lanes, steps: cols.map((c) => ({ step: c.step, u: c.u0 })), polls, spans, marks, steals, idles };
}

/**
 * Figures read off the trace: polls by source; migrations (a task polled on another worker than its previous
 * poll); and per kind of task (its label without the number: "ticker", "child"), the longest gap between two polls
 * of one task. A task that yields is ready all along, so for the hog's tickers the gap is how long they were kept
 * waiting; a task that awaits something (the spawner awaiting its children) has gaps by design.
 */
export function traceStats(timeline: Timeline, tasks: Readonly<Record<string, string>>) {
  const bySource: Record<Source, number> = { lifo: 0, local: 0, inject: 0, steal: 0 };
  for (const p of timeline.polls) bySource[p.source]++;
  const last = new Map<number, PollBox>();
  let migrations = 0;
  const longestGap = new Map<string, { task: number; units: number }>();
  for (const p of timeline.polls) {
    const prev = last.get(p.task);
    if (prev !== undefined) {
      if (prev.worker !== p.worker) migrations++;
      const kind = (tasks[String(p.task)] ?? "other").replace(/\s*\d+$/, "");
      const gap = p.u0 - prev.u1;
      if (gap > (longestGap.get(kind)?.units ?? -1)) longestGap.set(kind, { task: p.task, units: gap });
    }
    last.set(p.task, p);
  }
  const longestPoll = timeline.polls.reduce<PollBox | undefined>((a, p) => (a === undefined || p.u1 - p.u0 > a.u1 - a.u0 ? p : a), undefined);
  return { bySource, migrations, longestGap, longestPoll };
}

const COLORS: Record<Source, string> = { lifo: "#f0a020", local: "#4a8fe0", inject: "#9a6ee8", steal: "#2fb37a" };
const SOURCE_TEXT: Record<Source, string> = {
  lifo: "from the LIFO slot",
  local: "from its own queue",
  inject: "from the inject queue",
  steal: "stolen from another worker's queue",
};
const LEFT = 96;
const TOP = 26;
const LANE = 36;
const BOX = 20;

const laneName = (w: number) => (w < 0 ? "outside" : `worker ${w}`);

/** The timeline's SVG at `scale` pixels per unit (every x carries its units in data-u*, for the zoom script). */
export function timelineSvg(timeline: Timeline, tasks: Readonly<Record<string, string>>, scale: number): string {
  const laneY = new Map(timeline.lanes.map((w, i) => [w, TOP + i * LANE]));
  const x = (u: number) => num(LEFT + u * scale);
  const width = num(LEFT + timeline.units * scale + 20);
  const height = TOP + timeline.lanes.length * LANE + 8;
  const taskName = (t: number) => (tasks[String(t)] === undefined ? `task ${t}` : `task ${t} (${tasks[String(t)]})`);
  const out: string[] = [];
  out.push(`<svg id="timeline" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" data-left="${LEFT}" data-units="${num(timeline.units)}" role="img" aria-label="timeline of the scheduler's workers">`);
  out.push(
    '<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#eef1f4"/><line x1="0" y1="0" x2="0" y2="6" stroke="#aab4be" stroke-width="2"/></pattern>' +
      '<pattern id="hatch-driver" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#e3ebf7"/><line x1="0" y1="0" x2="0" y2="6" stroke="#6f8fc0" stroke-width="2"/></pattern>' +
      '<marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#1d7a52"/></marker></defs>',
  );
  // Lanes: a band and a label each.
  for (const w of timeline.lanes) {
    const y = laneY.get(w)!;
    out.push(`<g class="lane" data-lane="${w}"><rect x="0" y="${y}" width="${width}" height="${LANE}" fill="${timeline.lanes.indexOf(w) % 2 === 0 ? "#fbfcfd" : "#f3f5f7"}"/><text class="lane" x="8" y="${y + LANE / 2 + 4}">${laneName(w)}</text></g>`);
  }
  // The axis: step numbers at least 70 px apart.
  let lastTick = -Infinity;
  for (const s of timeline.steps) {
    const px = LEFT + s.u * scale;
    if (px - lastTick < 70) continue;
    lastTick = px;
    out.push(`<g class="tick"><line data-u="${num(s.u)}" x1="${num(px)}" x2="${num(px)}" y1="${TOP - 4}" y2="${height - 8}" stroke="#e4e8ec"/><text class="small" data-u="${num(s.u)}" x="${num(px + 2)}" y="${TOP - 8}">step ${s.step}</text></g>`);
  }
  for (const i of timeline.idles) {
    out.push(`<line class="idle" data-u="${num(i.u)}" x1="${x(i.u)}" x2="${x(i.u)}" y1="${TOP}" y2="${height - 8}" stroke="#8c959f" stroke-dasharray="3 3"><title>step ${i.step}: idle: every worker is blocked; the runtime waits for its driver (I/O, timers, Node's event loop)</title></line>`);
  }
  for (const s of timeline.spans) {
    const y = laneY.get(s.worker);
    if (y === undefined) continue;
    if (s.kind === "search") {
      out.push(`<rect class="search" data-u0="${num(s.u0)}" data-u1="${num(s.u1)}" x="${x(s.u0)}" y="${y + LANE - 7}" width="${num(Math.max(1, (s.u1 - s.u0) * scale))}" height="3" fill="#e0b400"><title>${laneName(s.worker)}, from step ${s.step}: searching for work to steal</title></rect>`);
    } else {
      const what = s.kind === "park-driver" ? "parked, asleep in the driver (it turns I/O and timers when it wakes)" : "parked, asleep on its condvar";
      out.push(`<rect class="park${s.kind === "park-driver" ? " driver" : ""}" data-u0="${num(s.u0)}" data-u1="${num(s.u1)}" x="${x(s.u0)}" y="${y + 9}" width="${num(Math.max(1, (s.u1 - s.u0) * scale))}" height="${LANE - 18}" fill="url(#${s.kind === "park-driver" ? "hatch-driver" : "hatch"})"><title>${laneName(s.worker)}, from step ${s.step}: ${what}</title></rect>`);
    }
  }
  for (const p of timeline.polls) {
    const y = laneY.get(p.worker);
    if (y === undefined) continue;
    const w = Math.max(1.5, (p.u1 - p.u0) * scale - 1);
    const title = `${laneName(p.worker)}, step ${p.step}: polls ${taskName(p.task)} ${SOURCE_TEXT[p.source]}${p.work > 0 ? `; it works for ${p.work} units` : ""}; ${p.complete ? "it completes" : "it returns Pending"}`;
    out.push(
      `<rect class="poll ${p.source} t${p.task}" data-task="${p.task}" data-u0="${num(p.u0)}" data-u1="${num(p.u1)}" x="${x(p.u0)}" y="${y + (LANE - BOX) / 2}" width="${num(w)}" height="${BOX}" rx="2" fill="${COLORS[p.source]}" stroke="${p.complete ? "#1f2328" : "none"}" stroke-width="${p.complete ? 1 : 0}"><title>${esc(title)}</title></rect>`,
    );
    if (w > 26) out.push(`<text class="small" data-u="${num(p.u0)}" x="${num(LEFT + p.u0 * scale + 3)}" y="${y + LANE / 2 + 3}" style="fill:#fff;pointer-events:none">${esc(tasks[String(p.task)] ?? String(p.task))}</text>`);
  }
  for (const m of timeline.marks) {
    const y = laneY.get(m.worker);
    if (y === undefined) continue;
    const cx = x(m.u);
    if (m.kind === "wake") {
      const where = m.to === "lifo" ? "into its LIFO slot" : m.to === "local" ? "onto the back of its own queue" : "into the inject queue";
      const fill = m.to === "lifo" ? COLORS.lifo : m.to === "local" ? COLORS.local : COLORS.inject;
      out.push(`<path class="wake ${m.to}" data-u="${num(m.u)}" d="M0,${y + 7} l-3.5,-6 h7 z" transform="translate(${cx},0)" fill="${fill}" stroke="#1f2328" stroke-width="0.5"><title>${esc(`${laneName(m.worker)}, step ${m.step}: wakes ${taskName(m.task!)} ${where}`)}</title></path>`);
    } else if (m.kind === "overflow") {
      out.push(`<path class="overflow" data-u="${num(m.u)}" d="M0,${y + 2} l5,5 l-5,5 l-5,-5 z" transform="translate(${cx},0)" fill="#d1242f"><title>${laneName(m.worker)}, step ${m.step}: its queue was full: ${m.count} tasks moved to the inject queue</title></path>`);
    } else if (m.kind === "maintenance") {
      out.push(`<rect class="maintenance" data-u0="${num(m.u)}" data-u1="${num(m.u)}" x="${cx}" y="${y + LANE - 11}" width="2" height="9" fill="#59636e"><title>${laneName(m.worker)}, step ${m.step}: maintenance (every eventInterval ticks: turn the driver if it is free)</title></rect>`);
    } else {
      out.push(`<rect class="poll block-on" data-u0="${num(m.u)}" data-u1="${num(m.u + 1)}" x="${cx}" y="${y + (LANE - BOX) / 2}" width="${num(Math.max(1.5, scale - 1))}" height="${BOX}" rx="2" fill="#8c959f" stroke="${m.complete === true ? "#1f2328" : "none"}"><title>step ${m.step}: blockOn polls its future; ${m.complete === true ? "it completes" : "it returns Pending"}</title></rect>`);
    }
  }
  for (const s of timeline.steals) {
    const from = laneY.get(s.victim);
    const to = laneY.get(s.thief);
    if (from === undefined || to === undefined) continue;
    const y1 = from + LANE / 2;
    const y2 = to + (to > from ? 4 : LANE - 4);
    out.push(
      `<g class="steal" data-u="${num(s.u)}"><line data-u="${num(s.u)}" x1="${x(s.u)}" x2="${x(s.u)}" y1="${y1}" y2="${y2}" stroke="#1d7a52" stroke-width="1.6" marker-end="url(#arrow)"/><text class="small" data-u="${num(s.u)}" x="${num(LEFT + s.u * scale + 3)}" y="${num((y1 + y2) / 2)}" style="fill:#1d7a52">${s.count}</text><title>step ${s.step}: worker ${s.thief} steals ${s.count} task${s.count === 1 ? "" : "s"} from worker ${s.victim}'s queue</title></g>`,
    );
  }
  out.push("</svg>");
  return out.join("\n");
}

const swatch = (fill: string, extra = "") => `<svg width="22" height="14"><rect x="1" y="1" width="20" height="12" rx="2" fill="${fill}" ${extra}/></svg>`;

function legend(): string {
  const items = [
    [swatch(COLORS.lifo), "poll from the LIFO slot"],
    [swatch(COLORS.local), "poll from its own queue"],
    [swatch(COLORS.inject), "poll from the inject queue"],
    [swatch(COLORS.steal), "poll of a stolen task"],
    [swatch("#ffffff", 'stroke="#1f2328"'), "outlined: the poll completed the task"],
    [swatch("url(#legend-hatch)"), "parked (condvar)"],
    [swatch("url(#legend-hatch-driver)"), "parked in the driver"],
    ['<svg width="22" height="14"><rect x="1" y="9" width="20" height="3" fill="#e0b400"/></svg>', "searching"],
    ['<svg width="22" height="14"><line x1="11" y1="13" x2="11" y2="1" stroke="#1d7a52" stroke-width="1.6"/><path d="M7,5 L11,0 L15,5 z" fill="#1d7a52"/></svg>', "steal (from the victim's lane, with the count)"],
    ['<svg width="22" height="14"><path d="M11,10 l-4,-7 h8 z" fill="#f0a020" stroke="#1f2328" stroke-width="0.5"/></svg>', "wake (colour: LIFO slot, own queue, inject queue)"],
    ['<svg width="22" height="14"><path d="M11,1 l6,6 l-6,6 l-6,-6 z" fill="#d1242f"/></svg>', "overflow to the inject queue"],
    ['<svg width="22" height="14"><rect x="10" y="3" width="2" height="10" fill="#59636e"/></svg>', "maintenance"],
    ['<svg width="22" height="14"><line x1="11" y1="0" x2="11" y2="14" stroke="#8c959f" stroke-dasharray="3 3"/></svg>', "idle: every worker blocked"],
  ];
  const defs =
    '<svg width="0" height="0" style="position:absolute"><defs><pattern id="legend-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#eef1f4"/><line x1="0" y1="0" x2="0" y2="6" stroke="#aab4be" stroke-width="2"/></pattern><pattern id="legend-hatch-driver" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#e3ebf7"/><line x1="0" y1="0" x2="0" y2="6" stroke="#6f8fc0" stroke-width="2"/></pattern></defs></svg>';
  return `<div class="legend" id="legend">${defs}${items.map(([icon, text]) => `<span>${icon}${esc(text!)}</span>`).join("")}</div>`;
}

const COUNTER_ROWS: [keyof SchedulerTrace["metrics"]["workers"][number], string][] = [
  ["pollCount", "polls (pollCount)"],
  ["localScheduleCount", "local schedules"],
  ["stealCount", "tasks stolen (stealCount)"],
  ["stealOperations", "steal operations"],
  ["overflowCount", "overflows"],
  ["parkCount", "parks (parkCount)"],
  ["noopCount", "no-op parks (noopCount)"],
  ["parkUnparkCount", "parks and unparks"],
  ["budgetForcedYieldCount", "forced yields (budget)"],
];

function summary(trace: SchedulerTrace, timeline: Timeline): string {
  const stats = traceStats(timeline, trace.tasks);
  const tasks = (t: number) => (trace.tasks[String(t)] === undefined ? "" : `, ${trace.tasks[String(t)]}`);
  const m = trace.metrics;
  const head = `<tr><th>counter (chapter 07's WorkerMetrics)</th>${m.workers.map((_, i) => `<th>worker ${i}</th>`).join("")}<th>all</th></tr>`;
  const rows = COUNTER_ROWS.map(([key, label]) => {
    const values = m.workers.map((w) => w[key]);
    return `<tr><td>${esc(label)}</td>${values.map((v) => `<td>${v}</td>`).join("")}<td>${values.reduce((a, b) => a + b, 0)}</td></tr>`;
  }).join("");
  const lifoPerWorker = m.workers.map((_, i) => timeline.polls.filter((p) => p.worker === i && p.source === "lifo").length);
  const lifoRow = `<tr><td>polls from the LIFO slot (trace)</td>${lifoPerWorker.map((v) => `<td>${v}</td>`).join("")}<td>${lifoPerWorker.reduce((a, b) => a + b, 0)}</td></tr>`;
  const runtime: [string, string | number][] = [
    ["tasks spawned", m.spawnedTasksCount],
    ["remote schedules (remoteScheduleCount)", m.remoteScheduleCount],
    ...Object.entries(m.counters ?? {}).map(([k, v]): [string, number] => [`counters.${k}`, v]),
    ["polls by source (trace)", `LIFO ${stats.bySource.lifo}, own queue ${stats.bySource.local}, inject ${stats.bySource.inject}, stolen ${stats.bySource.steal}`],
    ["a task polled on another worker than its previous poll", stats.migrations],
    ["steps recorded", timeline.steps.length],
    ["longest poll", stats.longestPoll === undefined ? "-" : `${num(stats.longestPoll.u1 - stats.longestPoll.u0)} units, ${stats.longestPoll.work} of them work (task ${stats.longestPoll.task}${tasks(stats.longestPoll.task)})`],
    ...[...stats.longestGap].map(([kind, g]): [string, string] => [`longest gap between two polls of one ${kind}`, `${num(g.units)} units (task ${g.task}${tasks(g.task)})`]),
  ];
  return [
    '<h2>Counters</h2>',
    `<table id="metrics">${head}${rows}${lifoRow}</table>`,
    `<table id="runtime-metrics">${runtime.map(([k, v]) => `<tr><td>${esc(k)}</td><td>${esc(String(v))}</td></tr>`).join("")}</table>`,
  ].join("\n");
}

const ZOOM_SCRIPT = `
(function () {
  var svg = document.getElementById("timeline");
  var left = Number(svg.dataset.left), units = Number(svg.dataset.units);
  var scale = Number(svg.dataset.scale);
  function apply(s) {
    scale = s;
    svg.setAttribute("width", String(left + units * s + 20));
    svg.querySelectorAll("[data-u0]").forEach(function (el) {
      var u0 = Number(el.dataset.u0), u1 = Number(el.dataset.u1);
      el.setAttribute("x", String(left + u0 * s));
      var minimum = el.classList.contains("maintenance") ? 2 : 1.5;
      el.setAttribute("width", String(Math.max(minimum, (u1 - u0) * s - (el.classList.contains("poll") ? 1 : 0))));
    });
    svg.querySelectorAll("[data-u]").forEach(function (el) {
      var u = Number(el.dataset.u), px = left + u * s;
      if (el.tagName === "line") { el.setAttribute("x1", String(px)); el.setAttribute("x2", String(px)); }
      else if (el.tagName === "text") el.setAttribute("x", String(px + 2));
      else if (el.tagName === "path") el.setAttribute("transform", "translate(" + px + ",0)");
    });
    document.getElementById("zoom-level").textContent = s.toFixed(1) + " px per unit";
  }
  document.getElementById("zoom-in").onclick = function () { apply(scale * 1.5); };
  document.getElementById("zoom-out").onclick = function () { apply(scale / 1.5); };
  var style = document.createElement("style");
  document.head.appendChild(style);
  svg.addEventListener("mouseover", function (e) {
    var t = e.target && e.target.dataset && e.target.dataset.task;
    style.textContent = t ? ".t" + t + " { stroke: #d1242f !important; stroke-width: 2.5 !important; }" : "";
  });
})();
`;

/** The whole page of a scheduler trace. */
export function renderTimeline(trace: SchedulerTrace): string {
  const timeline = layout(trace);
  const scale = Math.max(3, Math.min(14, 1120 / Math.max(1, timeline.units)));
  const svg = timelineSvg(timeline, trace.tasks, scale).replace('<svg id="timeline" ', `<svg id="timeline" data-scale="${num(scale)}" `);
  const body = [
    `<h1>${esc(trace.title)}</h1>`,
    `<div class="meta">scenario <code>${esc(trace.scenario)}</code> · ${esc(trace.source)} · ${trace.workers} logical workers · seed ${trace.seed} · <code>npm run kata -- trace ${esc(trace.scenario)} --seed ${trace.seed}</code></div>`,
    ...trace.about.map((a) => `<p>${esc(a)}</p>`),
    legend(),
    `<div class="controls">x axis: the interleaver's steps; a poll that did CPU work is as wide as its work (counted, not timed). Hover a box to see every poll of its task. <button id="zoom-out" type="button">−</button><button id="zoom-in" type="button">+</button> <span id="zoom-level">${num(scale)} px per unit</span></div>`,
    `<div class="scroll">${svg}</div>`,
    trace.truncated ? `<p class="note">The trace was cut after ${trace.events.length} events.</p>` : "",
    summary(trace, timeline),
    '<p class="note">Counters are chapter 07\'s WorkerMetrics and chapter 09\'s MultiThreadHandle.counters, read when the scenario ended. Busy time is left out: it is real time, and this page is the same for the same seed.</p>',
  ].join("\n");
  return page(`${trace.title}: kata trace ${trace.scenario}`, body, ZOOM_SCRIPT);
}
