/**
 * The runtime half of honesty gate 3, run in a child with every `kata-ref-NN` condition (verify's exports.ts):
 * imports `chapters/<id>/index.ts` and `solutions/<id>/index.ts` by path, so the chapter sees the reference of
 * every other chapter as in solo mode, and prints the shape of each one's exports as JSON.
 *
 *     node --conditions=kata-ref-01 ... --import tsx grader/exports-probe.ts <root> <id>...
 */
import { join } from "node:path";
import { pathToFileURL } from "node:url";

export interface Member {
  kind: string;
  /** a function's or class's `length` */
  arity?: number;
  /** a class's own prototype members, a plain object's own keys, or a class's static members */
  members?: string[];
  statics?: string[];
  /** a primitive constant's value, as text */
  value?: string;
}
export type Shape = Record<string, Member>;
export type ProbeResult = Record<string, { chapter: Shape | { error: string }; solution: Shape | { error: string } }>;

const WELL_KNOWN = new Map<symbol, string>([
  [Symbol.dispose, "Symbol.dispose"],
  [Symbol.asyncDispose, "Symbol.asyncDispose"],
]);
const keyText = (k: string | symbol) => (typeof k === "symbol" ? `[${WELL_KNOWN.get(k) ?? k.description ?? "symbol"}]` : k);
const ownKeys = (o: object, skip: readonly string[]) =>
  Reflect.ownKeys(o)
    .filter((k) => !(typeof k === "string" && skip.includes(k)))
    .map(keyText)
    .sort();

export function shapeOf(value: unknown): Member {
  if (typeof value === "function") {
    const isClass = /^class[\s{]/.test(Function.prototype.toString.call(value));
    if (!isClass) return { kind: "function", arity: value.length };
    return {
      kind: "class",
      arity: value.length,
      members: ownKeys(value.prototype as object, ["constructor"]),
      statics: ownKeys(value, ["length", "name", "prototype"]),
    };
  }
  if (value === null) return { kind: "null" };
  if (typeof value === "object") {
    const proto = Object.getPrototypeOf(value) as unknown;
    const plain = proto === Object.prototype || proto === null;
    return plain ? { kind: "object", members: ownKeys(value, []) } : { kind: "object" };
  }
  if (typeof value === "symbol") return { kind: "symbol", value: value.description ?? "" };
  if (value === undefined) return { kind: "undefined" };
  return { kind: typeof value, value: String(value) };
}

async function probe(file: string): Promise<Shape | { error: string }> {
  try {
    const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    return Object.fromEntries(Object.keys(mod).sort().map((name) => [name, shapeOf(mod[name])]));
  } catch (e) {
    return { error: e instanceof Error ? `${e.name}: ${e.message.split("\n")[0]}` : String(e) };
  }
}

const [root, ...ids] = process.argv.slice(2);
if (root !== undefined) {
  const out: ProbeResult = {};
  for (const id of ids) {
    out[id] = {
      chapter: await probe(join(root, "chapters", id, "index.ts")),
      solution: await probe(join(root, "solutions", id, "index.ts")),
    };
  }
  process.stdout.write(JSON.stringify(out));
}
