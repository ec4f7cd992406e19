/**
 * Moves in simulated memory: a pointer into a value dangles once the value moves.
 */
import { expect, it } from "vitest";
import { Memory, MemoryError } from "#kata/05-pin";

it("a move copies the words as they are; a self-pointer then points at the dead place", () => {
  const mem = new Memory();
  const a = mem.alloc([10, 20, 0]); // [x, y, ptr]
  mem.write(a + 2, a + 1); // ptr = &y: a pointer into the value itself
  const b = mem.move(a); // let moved = value;
  expect(mem.read(b + 1)).toBe(20); // the copy is fine...
  expect(mem.read(b + 2)).toBe(a + 1); // ...but its pointer still names the old place
  expect(() => mem.read(mem.read(b + 2))).toThrow(MemoryError); // *ptr: use after move
  expect(() => mem.read(mem.read(b + 2))).toThrow(/use after move/);
});
