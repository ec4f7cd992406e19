/**
 * Chapter 12's wheel drawn frame by frame: per frame, six rows (levels) of 64 slots, the occupied slots filled, the
 * slot `elapsed` falls in outlined, the timers filed in each slot counted (hover for their names), and what the
 * operation did (fired, cascaded). Pure: a `WheelTrace` in, an HTML string out.
 *
 * A slot whose occupancy bit disagrees with the timers filed there (a bit set over an empty slot, or a timer in a
 * slot whose bit is clear) is drawn red: in a learner's wheel that is a bug to look at.
 */
import type { WheelFrame, WheelTrace } from "./model.ts";
import { esc, ms, num, page } from "./page.ts";

const CELL = 15;
const ROW = 30;
const LEFT = 150;
const TOP = 22;
const LEVELS = 6;
const SLOTS = 64;

/** Width of one slot of `level`, and the slot `t` falls in: the definitions the wheel is built on. */
const slotWidth = (level: number) => 64 ** level;
const slotOf = (t: number, level: number) => Math.floor(t / slotWidth(level)) % SLOTS;

function frameSvg(frame: WheelFrame, index: number): string {
  const width = LEFT + SLOTS * CELL + 16;
  const height = TOP + LEVELS * ROW + 10;
  const out: string[] = [`<svg class="wheel-frame" data-frame="${index}" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" role="img" aria-label="the wheel after: ${esc(frame.op)}">`];
  for (let s = 0; s < SLOTS; s += 8) out.push(`<text class="small" x="${LEFT + s * CELL + 2}" y="${TOP - 6}">${s}</text>`);
  for (let level = 0; level < LEVELS; level++) {
    const y = TOP + level * ROW;
    const cursor = slotOf(frame.elapsed, level);
    out.push(`<g class="level" data-level="${level}">`);
    out.push(`<text class="lane" x="8" y="${y + 13}">level ${level}</text><text class="small" x="8" y="${y + 25}">slots of ${ms(slotWidth(level))}</text>`);
    for (let slot = 0; slot < SLOTS; slot++) {
      const here = frame.entries.filter((e) => e.level === level && e.slot === slot);
      const occupied = frame.occupied[level]![slot]!;
      const wrong = occupied !== here.length > 0;
      const fill = wrong ? "#f8c7c9" : occupied ? "#4a8fe0" : "#f3f5f7";
      const start = slot * slotWidth(level);
      const what = here.length === 0 ? (occupied ? "occupancy bit set, but no timer is filed here" : "empty") : here.map((e) => e.label).join(", ");
      const title = `level ${level}, slot ${slot} (${ms(slotWidth(level))} wide; in each rotation it covers offset ${ms(start)} to ${ms(start + slotWidth(level) - 1)}): ${what}${wrong && here.length > 0 ? "; but its occupancy bit is clear" : ""}${slot === cursor ? "; elapsed falls in this slot" : ""}`;
      out.push(
        `<rect class="slot${occupied ? " occupied" : ""}${wrong ? " wrong" : ""}" data-slot="${slot}" x="${LEFT + slot * CELL}" y="${y + 3}" width="${CELL - 2}" height="${ROW - 8}" rx="2" fill="${fill}" stroke="${slot === cursor ? "#d1242f" : wrong ? "#d1242f" : "none"}" stroke-width="${slot === cursor ? 2 : 1}"><title>${esc(title)}</title></rect>`,
      );
      if (here.length > 0) out.push(`<text x="${num(LEFT + slot * CELL + (CELL - 2) / 2 - 3)}" y="${y + 19}" style="fill:#fff;font-weight:600;pointer-events:none">${here.length}</text>`);
    }
    out.push("</g>");
  }
  for (const m of frame.moved) {
    out.push(
      `<rect class="moved-from" x="${LEFT + m.from.slot * CELL - 1}" y="${TOP + m.from.level * ROW + 2}" width="${CELL}" height="${ROW - 6}" rx="2" fill="none" stroke="#9a6700" stroke-width="1.5" stroke-dasharray="3 2"><title>${esc(`${m.label} was here (level ${m.from.level}, slot ${m.from.slot}) before this operation`)}</title></rect>`,
    );
  }
  out.push("</svg>");
  return out.join("");
}

function frameSection(frame: WheelFrame, index: number): string {
  const moved = new Set(frame.moved.map((m) => m.label));
  const entries = [...frame.entries].sort((a, b) => a.deadline - b.deadline);
  const table =
    entries.length === 0
      ? '<p class="note">No timer is filed in a level.</p>'
      : `<table class="entries"><tr><th>timer</th><th>deadline (ms)</th><th>level</th><th>slot</th></tr>${entries
          .map((e) => `<tr${moved.has(e.label) ? ' style="background:#fff4d6"' : ""}><td>${esc(e.label)}${moved.has(e.label) ? " (moved)" : ""}</td><td>${e.deadline}</td><td>${e.level}</td><td>${e.slot}</td></tr>`)
          .join("")}</table>`;
  return [
    `<section class="frame" id="frame-${index}">`,
    `<h2>${index}. ${esc(frame.op)} <span class="meta">elapsed = ${frame.elapsed} ms (${esc(ms(frame.elapsed))})</span></h2>`,
    ...frame.notes.map((n) => `<p>${esc(n)}</p>`),
    `<div class="scroll">${frameSvg(frame, index)}</div>`,
    table,
    "</section>",
  ].join("\n");
}

export function renderWheel(trace: WheelTrace): string {
  const body = [
    `<h1>${esc(trace.title)}</h1>`,
    `<div class="meta">scenario <code>wheel</code> · ${esc(trace.source)} · <code>npm run kata -- trace wheel</code></div>`,
    ...trace.about.map((a) => `<p>${esc(a)}</p>`),
    '<div class="legend"><span><svg width="16" height="14"><rect x="1" y="1" width="13" height="12" rx="2" fill="#4a8fe0"/></svg>occupied (its bit is set), with the number of timers filed there</span><span><svg width="16" height="14"><rect x="1" y="1" width="13" height="12" rx="2" fill="#f3f5f7" stroke="#d1242f" stroke-width="2"/></svg>the slot elapsed falls in</span><span><svg width="16" height="14"><rect x="1" y="1" width="13" height="12" rx="2" fill="none" stroke="#9a6700" stroke-width="1.5" stroke-dasharray="3 2"/></svg>where a timer that cascaded was</span><span><svg width="16" height="14"><rect x="1" y="1" width="13" height="12" rx="2" fill="#f8c7c9" stroke="#d1242f"/></svg>the bit and the timers disagree</span></div>',
    ...trace.frames.map(frameSection),
  ].join("\n");
  return page(`${trace.title}: kata trace wheel`, body);
}
