/**
 * The timer-wheel scenario of `kata trace wheel`: chapter 12's `Wheel` after each of a few operations, for the
 * picture of its levels and slots. Run in a child process (child.ts) over the reference or the learner's chapter 12.
 *
 * Occupancy is what the wheel's own `level(l).occupied()` reports; where each timer is drawn comes from the
 * chapter's `levelFor` and `slotFor` applied to the deadline it is filed under, as the wheel itself finds it again.
 * Deterministic: no clock, only the ticks given.
 */
import { LEVEL_MULT, NUM_LEVELS, STATE_DEREGISTERED, TimerShared, Wheel, levelFor, slotFor } from "#kata/12-timer-wheel";
import type { WheelFrame, WheelTrace } from "./model.ts";
import { ms } from "./page.ts";

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const DAY = 24 * 60 * MINUTE;

const DEADLINES = [3, 40, 70, 130, 1000, 5 * SECOND, 5 * MINUTE, 3 * DAY, 100 * DAY];
/** Where to advance to: firings, and the two moments a far slot comes due and cascades (level 4's slot 15, level 5's slot 8). */
const ADVANCES = [64, 1000, 10 * MINUTE, 15 * 2 ** 24, 3 * DAY, 8 * 2 ** 30, 101 * DAY];

export function recordWheel(source: string): WheelTrace {
  const wheel = new Wheel();
  const timers = DEADLINES.map((deadline) => {
    const entry = new TimerShared();
    entry.setExpiration(deadline);
    return { label: ms(deadline), deadline, entry };
  });
  const inWheel = new Set<TimerShared>();
  const filed = () =>
    timers.flatMap(({ label, deadline, entry }) => {
      if (!inWheel.has(entry) || entry.registeredWhen === STATE_DEREGISTERED) return [];
      const level = levelFor(wheel.elapsed(), entry.registeredWhen);
      return [{ label, deadline, level, slot: slotFor(entry.registeredWhen, level) }];
    });
  const frame = (op: string, notes: string[], before: ReturnType<typeof filed>, fired: WheelFrame["fired"]): WheelFrame => {
    const entries = filed();
    const moved = entries.flatMap((e) => {
      const was = before.find((b) => b.label === e.label);
      return was === undefined || (was.level === e.level && was.slot === e.slot) ? [] : [{ label: e.label, from: { level: was.level, slot: was.slot }, to: { level: e.level, slot: e.slot } }];
    });
    const occupied = Array.from({ length: NUM_LEVELS }, (_, l) => {
      const word = wheel.level(l).occupied();
      return Array.from({ length: LEVEL_MULT }, (_, s) => ((word >> BigInt(s)) & 1n) === 1n);
    });
    return { op, notes, elapsed: wheel.elapsed(), occupied, entries, fired, moved };
  };

  const frames: WheelFrame[] = [frame("a new wheel", ["elapsed = 0; every level empty."], [], [])];
  const before = filed();
  for (const t of timers) if (wheel.insert(t.entry)) inWheel.add(t.entry);
  const inserted = frame(`insert ${timers.map((t) => t.label).join(", ")}`, ["Each timer goes to the level of the highest 6-bit group in which its deadline differs from elapsed (0), in the slot that group's value names:"], before, []);
  inserted.notes.push(inserted.entries.map((e) => `${e.label} on level ${e.level}, slot ${e.slot}`).join("; ") + ".");
  frames.push(inserted);
  for (const to of ADVANCES) {
    const was = filed();
    const fired: WheelFrame["fired"] = [];
    for (let e = wheel.poll(to); e !== null; e = wheel.poll(to)) {
      const t = timers.find((x) => x.entry === e);
      fired.push({ label: t?.label ?? "?", deadline: t?.deadline ?? -1, at: wheel.elapsed() });
      inWheel.delete(e);
      e.fire();
    }
    const f = frame(`advance to ${ms(to)} (poll until null)`, [], was, fired);
    if (fired.length > 0) f.notes.push(`fired: ${fired.map((x) => `${x.label} (at ${ms(x.at)})`).join(", ")}.`);
    if (f.moved.length > 0) {
      f.notes.push(
        `cascaded: ${f.moved.map((m) => `${m.label} from level ${m.from.level} slot ${m.from.slot} to level ${m.to.level} slot ${m.to.slot}`).join("; ")}: its higher-level slot came due, and it was filed again relative to that slot's start.`,
      );
    }
    if (fired.length === 0 && f.moved.length === 0) f.notes.push("nothing was due.");
    frames.push(f);
  }
  return {
    schema: "kata-wheel/1",
    scenario: "wheel",
    title: "The hierarchical timer wheel: six levels of 64 slots",
    about: [
      "Each row is a level: 64 slots, each 64^level ms wide (1 ms, 64 ms, ~4.1 s, ~4.4 min, ~4.7 h, ~12.4 days). A filled slot has its occupancy bit set and shows how many timers are filed there (hover for their names); the outlined slot is the one elapsed falls in.",
      "Nine timers are inserted at elapsed = 0, then the wheel is advanced. Watch the far timers move down a level each time their slot comes due (cascading) until level 0 hands them to poll.",
    ],
    source,
    frames,
  };
}
