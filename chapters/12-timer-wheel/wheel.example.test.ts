/**
 * The timer wheel in use: placing a deadline, and polling the wheel as a driver does.
 */
import { expect, it } from "vitest";
import { TimerShared, Wheel, levelFor, slotFor } from "#kata/12-timer-wheel";

function timerAt(tick: number): TimerShared {
  const entry = new TimerShared();
  entry.setExpiration(tick);
  return entry;
}

it("a deadline goes on the level of its highest bit that differs from now", () => {
  // 5000 = 0b000001_001110_001000: slot 1 on level 2, slot 14 on level 1, slot 8 on level 0.
  expect(levelFor(0, 5000)).toBe(2);
  expect([slotFor(5000, 2), slotFor(5000, 1), slotFor(5000, 0)]).toEqual([1, 14, 8]);
  expect(levelFor(4096, 5000)).toBe(1);
  expect(levelFor(4992, 5000)).toBe(0);
});

it("the wheel hands out due timers in deadline order, cascading as it goes", () => {
  const wheel = new Wheel();
  const late = timerAt(5000);
  const soon = timerAt(30);
  expect(wheel.insert(late)).toBe(true);
  expect(wheel.insert(soon)).toBe(true);
  expect(wheel.insert(timerAt(0)), "already due: the caller fires it").toBe(false);

  expect(wheel.nextExpirationTime()).toBe(30);
  expect(wheel.poll(29)).toBeNull();
  expect(wheel.poll(30)).toBe(soon);
  expect(wheel.poll(30)).toBeNull();

  // 5000 waits on level 2 until 4096, then on level 1 until 4992, then on level 0.
  const stops: number[] = [];
  for (let next = wheel.nextExpirationTime(); next !== undefined; next = wheel.nextExpirationTime()) {
    stops.push(next);
    const entry = wheel.poll(next);
    if (entry !== null) {
      expect(entry).toBe(late);
      break;
    }
  }
  expect(stops).toEqual([4096, 4992, 5000]);
  expect(wheel.elapsed()).toBe(5000);
});
