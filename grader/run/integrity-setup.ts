/**
 * Setup file for every test fork: the assertion library and the intrinsics it relies on are locked before any
 * learner code loads, and canaries check that false assertions still fail.
 *
 * What is locked, and how:
 * - chai's `Assertion` and `Assertion.prototype` are frozen: a patched `assert`, `toBe` or `overwriteMethod` throws
 *   at the learner's import. `expect` keeps every property it has, made read-only, but stays extensible: chai
 *   records a call site on it (`__flags`), which is what asymmetric matchers (`expect.objectContaining(...)`
 *   inside `toThrow`, `toEqual`) need. Every documented matcher keeps working; only `expect.extend` and
 *   `expect.addEqualityTesters` throw (hidden suites use neither), and the matcher registries are frozen.
 * - The statics the matchers call (`Object.is`, `Object.keys`, `Reflect.*`, `JSON.*`, `Array.isArray`, ...) and
 *   the global bindings of the built-in constructors are read-only. Built-in prototypes are not frozen (that would
 *   break ordinary code that assigns `obj.toString = ...`); they are compared after every test instead.
 * - The canaries: `it.fails` registered here runs first in every file; after each test and after the file, a set of
 *   false assertions must still throw and the prototypes must be unchanged. The grader accepts a file's results
 *   only if its canary is reported passed and no integrity error was raised.
 */
import { afterAll, afterEach, chai, expect, it } from "vitest";
import { CANARY, INTEGRITY_ERROR } from "./protocol.ts";

type Bag = Record<PropertyKey, unknown>;

/** Makes every own property of `target` read-only and non-configurable (its object stays extensible). */
function lockProperties(target: object): void {
  for (const key of Reflect.ownKeys(target)) {
    const d = Object.getOwnPropertyDescriptor(target, key)!;
    if (!d.configurable) continue;
    Object.defineProperty(target, key, "value" in d ? { value: d.value, writable: false, configurable: false } : { configurable: false });
  }
}

function refuse(what: string): () => never {
  return () => {
    throw new Error(`${INTEGRITY_ERROR} ${what} is not allowed while the grader runs (the assertion library is locked)`);
  };
}

// The locks are set once per fork: with forks shared between files (kata verify) this file runs again for each
// file, and finds them set.
const LOCKED = Symbol.for("kata.integrity");
if (!Object.hasOwn(globalThis, LOCKED)) {
  Object.defineProperty(globalThis, LOCKED, { value: true });
  // chai: the assertion class and its methods.
  Object.freeze(chai.Assertion.prototype);
  Object.freeze(chai.Assertion);

  // expect: no new matchers or equality testers; its registries frozen; every property read-only.
  const expectBag = expect as unknown as Bag;
  expectBag.extend = refuse("expect.extend");
  expectBag.addEqualityTesters = refuse("expect.addEqualityTesters");
  lockProperties(expect);
  const jestMatchers = Symbol.for("$$jest-matchers-object");
  const registries = (globalThis as unknown as Bag)[jestMatchers] as { matchers: object; customEqualityTesters: unknown[] } | undefined;
  if (registries !== undefined) {
    Object.freeze(registries.matchers);
    Object.freeze(registries.customEqualityTesters);
  }
  for (const key of [jestMatchers, Symbol.for("expect-global"), Symbol.for("matchers-object"), Symbol.for("asymmetric-matchers-object")]) {
    const d = Object.getOwnPropertyDescriptor(globalThis, key);
    if (d?.configurable === true) Object.defineProperty(globalThis, key, { ...d, configurable: false, ...("value" in d ? { writable: false } : {}) });
  }
  const asymmetric = (globalThis as unknown as Bag)[Symbol.for("asymmetric-matchers-object")];
  if (typeof asymmetric === "object" && asymmetric !== null) Object.freeze(asymmetric);
  if (Object.getOwnPropertyDescriptor(globalThis, "expect")?.value !== expect) {
    Object.defineProperty(globalThis, "expect", { value: expect, writable: false, configurable: false });
  }

  // The intrinsics: statics read-only, global bindings read-only.
  for (const target of [Object, Reflect, JSON, Math, Array, Number, String, Symbol, Promise, Map, Set, WeakMap, WeakSet]) lockProperties(target);
  const BINDINGS = ["Object", "Reflect", "JSON", "Math", "Array", "Number", "String", "Boolean", "Symbol", "Promise", "Map", "Set", "WeakMap", "WeakSet", "Error", "TypeError", "RangeError", "Proxy", "Function", "RegExp", "BigInt"];
  for (const name of BINDINGS) {
    const d = Object.getOwnPropertyDescriptor(globalThis, name);
    if (d?.configurable === true && "value" in d) Object.defineProperty(globalThis, name, { value: d.value, writable: false, configurable: false });
  }
}

// The prototypes, compared after every test.
const PROTOTYPES: Record<string, object> = {
  "Object.prototype": Object.prototype,
  "Array.prototype": Array.prototype,
  "Function.prototype": Function.prototype,
  "String.prototype": String.prototype,
  "Number.prototype": Number.prototype,
  "Boolean.prototype": Boolean.prototype,
  "Symbol.prototype": Symbol.prototype,
  "Error.prototype": Error.prototype,
  "Map.prototype": Map.prototype,
  "Set.prototype": Set.prototype,
  "RegExp.prototype": RegExp.prototype,
  "Date.prototype": Date.prototype,
};
function describeProperty(d: PropertyDescriptor): unknown[] {
  return "value" in d ? [d.value, d.writable, d.enumerable, d.configurable] : [d.get, d.set, d.enumerable, d.configurable];
}
const snapshot = new Map(
  Object.entries(PROTOTYPES).map(([name, proto]) => [name, new Map(Reflect.ownKeys(proto).map((k) => [k, describeProperty(Object.getOwnPropertyDescriptor(proto, k)!)]))]),
);

/** What changed in the prototypes since the setup, or undefined. */
function changedPrototype(): string | undefined {
  for (const [name, proto] of Object.entries(PROTOTYPES)) {
    const before = snapshot.get(name)!;
    const keys = Reflect.ownKeys(proto);
    for (const k of new Set([...keys, ...before.keys()])) {
      const d = Object.getOwnPropertyDescriptor(proto, k);
      const was = before.get(k);
      const same = d !== undefined && was !== undefined && describeProperty(d).every((v, i) => Object.is(v, was[i]));
      if (!same) return `${name}.${String(k)} was ${d === undefined ? "deleted" : was === undefined ? "added" : "replaced"}`;
    }
  }
  return undefined;
}

/** The false assertions that must throw; the first one that does not, by name. */
const FALSE_ASSERTIONS: [string, () => void][] = [
  ["expect(1).toBe(2)", () => expect(1).toBe(2)],
  ["expect({ a: 1 }).toEqual({ a: 2 })", () => expect({ a: 1 }).toEqual({ a: 2 })],
  ["expect([1]).toStrictEqual([2])", () => expect([1]).toStrictEqual([2])],
  ["expect(() => {}).toThrow()", () => expect(() => {}).toThrow()],
  ['expect("a").toMatch(/b/)', () => expect("a").toMatch(/b/)],
  ["expect([1]).toContain(2)", () => expect([1]).toContain(2)],
  ["expect(true).toBe(false)", () => expect(true).toBe(false)],
  ["expect(1).not.toBe(1)", () => expect(1).not.toBe(1)],
];
function falseAssertionPasses(): string | undefined {
  for (const [name, f] of FALSE_ASSERTIONS) {
    try {
      f();
      return name;
    } catch {
      // as it should
    }
  }
  return undefined;
}

function checkIntegrity(when: string): void {
  const passes = falseAssertionPasses();
  if (passes !== undefined) throw new Error(`${INTEGRITY_ERROR} the false assertion ${passes} no longer fails ${when} (was the assertion library patched?)`);
  const changed = changedPrototype();
  if (changed !== undefined) throw new Error(`${INTEGRITY_ERROR} ${changed} ${when}: code under test may not change built-in prototypes`);
}

it.fails(CANARY, () => {
  const passes = falseAssertionPasses();
  if (passes !== undefined) return;
  expect(1).toBe(2);
});

afterEach(() => checkIntegrity("after this test"));
afterAll(() => checkIntegrity("after the tests ran"));
