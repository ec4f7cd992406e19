/**
 * `npm run bench`: the workbook's runtime against Node's own machinery, side by side, one table.
 *
 *     npm run bench                          every workload, the reference runtime (solutions/) and Node
 *     npm run bench -- --only spawn,timers   some of them (`--list` names them)
 *     npm run bench -- --rounds 3            rounds per workload (default 5; 3 for redis and memory)
 *     npm run bench -- --learner             also the learner's runtime (`kata bench`: see "The learner's runtime")
 *     npm run bench -- --json out.json       the table as JSON too
 *     npm run bench -- --quick               smaller sizes, 2 rounds: a smoke test, not a measurement
 *     npm run bench -- --cpu                 the spine's workloads in CPU time (see below)
 *
 * Benchmarks are never timed tests: nothing here passes or fails, it prints what it measured. Each workload runs
 * in fresh child processes (`node --expose-gc`, the reference conditions `kata-ref-01` ... `kata-ref-19`, or the
 * learner's chapters), and Node's contender runs in the same process, in the same rounds, so that a noisy
 * machine weighs on both alike. A figure is the median of the rounds, with the smallest and largest; a ratio is
 * Node over ours for times (above 1: ours is faster) and ours over Node for rates, taken round by round where both
 * ran in the same round (the median of those ratios), so load that comes and goes cancels out.
 *
 * The workloads and where they live:
 * - spawn, spawn-yield, and the multi-thread rows of mpsc and ping-pong: `grader/bench/spine.ts`;
 * - mpsc and ping-pong on the current-thread runtime: `grader/bench/channels.ts` (one round per child);
 * - timers: `grader/bench/timers.ts`; TCP echo and bulk: `grader/bench/tcp-echo.ts` (one round per child);
 * - redis: `redis-benchmark` (redis-tools) against our mini-redis (chapter 19), a plain `node:net` server and the
 *   real `redis-server`, all on 127.0.0.1 (`grader/bench/redis.ts`);
 * - memory: peak RSS of a million pending tasks, one contender per process (`grader/bench/spine.ts memory`).
 * The scripts of other chapters print their own tables; this harness reads the figures from their output (one
 * round per child), so each stays runnable on its own. A workload whose chapters have not landed is skipped with
 * a note, and so is one whose tool is missing.
 *
 * The learner's runtime: each workload lists the chapters it runs (`needs`). The learner's rows run the learner's
 * code for those chapters and the reference's for the others, which the workload loads but does not run: the
 * current-thread runtime imports the I/O and time drivers, so a learner at chapter 09 could not otherwise measure
 * their scheduler before finishing chapter 13. A listed chapter that is not done yet leaves the learner's row
 * empty, and the notes name its first item that is not implemented.
 *
 * On a machine shared with other work, wall-clock figures swing by 2-5x with the load (the header prints it).
 * `--cpu` measures the workloads of `grader/bench/spine.ts` (spawn, yield, the multi-thread channels, not memory) in the
 * process's CPU time instead, with the garbage collector on the main thread (`--single-threaded-gc`) so that it
 * is the CPU time of one thread: steadier under load, and blind to time spent waiting. The other scripts measure
 * wall-clock time whatever the option.
 */
import { spawn as spawnProcess, type ChildProcess } from "node:child_process";
import { existsSync, realpathSync, writeFileSync } from "node:fs";
import net from "node:net";
import { availableParallelism, cpus, loadavg, release, type } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { CHAPTER_NUMBERS } from "#kit/modes";
import { notImplementedIn } from "#kit/todo";
import { killGroup } from "../tools.ts";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const REFERENCE = CHAPTER_NUMBERS.map((n) => `kata-ref-${n}`);

// ---------------------------------------------------------------------------------------------------------------
// Options

interface Options {
  only: Set<string> | null;
  rounds: number | null;
  learner: boolean;
  json: string | null;
  quick: boolean;
  cpu: boolean;
}

function parseArgs(argv: string[]): Options {
  const o: Options = { only: null, rounds: null, learner: false, json: null, quick: false, cpu: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === "--only") o.only = new Set(value().split(","));
    else if (a === "--rounds") o.rounds = roundsOption(value());
    else if (a === "--learner") o.learner = true;
    else if (a === "--json") o.json = value();
    else if (a === "--quick") o.quick = true;
    else if (a === "--cpu") o.cpu = true;
    else if (a === "--list") {
      for (const w of WORKLOADS) {
        console.log(`${w.name.padEnd(12)} ${w.title}\n${"".padEnd(12)} runs chapters ${w.needs.chapters.map((c) => c.slice(0, 2)).sort().join(" ")}`);
      }
      process.exit(0);
    } else throw new Error(`unknown option ${a} (--only, --rounds, --learner, --json, --quick, --cpu, --list)`);
  }
  if (o.only !== null) {
    for (const name of o.only) {
      if (!WORKLOADS.some((w) => w.name === name)) {
        throw new Error(`unknown workload "${name}"; the workloads: ${WORKLOADS.map((w) => w.name).join(", ")}`);
      }
    }
  }
  return o;
}

function roundsOption(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--rounds takes a whole number of at least 1, not "${v}"`);
  return n;
}

// ---------------------------------------------------------------------------------------------------------------
// Figures

interface Stat {
  median: number;
  min: number;
  max: number;
  rounds: number;
}

function stat(xs: number[]): Stat | null {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return null;
  const mid = s.length >> 1;
  const median = s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  return { median, min: s[0]!, max: s[s.length - 1]!, rounds: s.length };
}

type Better = "lower" | "higher";

interface Row {
  workload: string;
  variant: string;
  unit: string;
  /** Which way is better for the figures (times and sizes: lower; rates: higher). */
  better: Better;
  ours: Stat | null;
  node: Stat | null;
  learner: Stat | null;
  /** Better than 1 means ours wins: node/ours for times, ours/node for rates; ours/node for memory (see `target`). */
  ratio: number | null;
  learnerRatio: number | null;
  /** `>= x`: the ratio must reach x; `<= x`: it must not exceed it (memory). */
  target: { op: ">=" | "<="; value: number } | null;
  note: string;
}

/** The ratio of one pair: node/ours for times, ours/node for rates; null if either is missing. */
function ratioOf(ours: number | undefined, node: number | undefined, better: Better): number | null {
  if (ours === undefined || node === undefined || !(ours > 0) || !(node > 0)) return null;
  return better === "lower" ? node / ours : ours / node;
}

/** The median of the ratios of rounds where both ran; else the ratio of the medians. */
function pairedRatio(ours: number[], node: number[], better: Better): number | null {
  const paired = stat(ours.map((o, i) => ratioOf(o, node[i], better) ?? NaN));
  if (paired !== null) return paired.median;
  return ratioOf(stat(ours)?.median, stat(node)?.median, better);
}

interface Series {
  ours: number[];
  node: number[];
  learner: number[];
}

function row(
  workload: string,
  variant: string,
  unit: string,
  better: Better,
  s: Series,
  target: Row["target"],
  note = "",
): Row {
  const node = stat(s.node);
  const learner = stat(s.learner);
  return {
    workload,
    variant,
    unit,
    better,
    ours: stat(s.ours),
    node,
    learner,
    ratio: pairedRatio(s.ours, s.node, better),
    learnerRatio: ratioOf(learner?.median, node?.median, better),
    target,
    note,
  };
}

const series = (): Series => ({ ours: [], node: [], learner: [] });
const atLeast = (value: number): Row["target"] => ({ op: ">=", value });

// ---------------------------------------------------------------------------------------------------------------
// Children

interface ChildResult {
  ok: boolean;
  stdout: string;
  /** The last lines of stderr, or why the child failed. */
  error: string;
}

/**
 * Runs `grader/bench/<script> args` in a fresh node with the given conditions (and node flags); kills its process group
 * on timeout.
 */
export function runChild(
  script: string,
  args: string[],
  conditions: string[],
  env: Record<string, string> = {},
  flags: string[] = [],
  timeoutMs = 600_000,
): Promise<ChildResult> {
  const argv = ["--expose-gc", ...flags, ...conditions.map((c) => `--conditions=${c}`), "--import", "tsx", join("grader", "bench", script), ...args];
  return new Promise((resolve) => {
    const child = spawnProcess(process.execPath, argv, {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => killGroup(child.pid), timeoutMs);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const ok = code === 0;
      const why = whyItFailed(stderr);
      resolve({ ok, stdout, error: ok ? "" : `${script} ${code === null ? `killed (${signal})` : `exited ${code}`}: ${why}` });
    });
  });
}

/** The first "X is not implemented yet (chapters/NN-slug)" in `text` (a learner's chapter stopped the run), if any. */
function notImplemented(text: string): string | undefined {
  const todo = notImplementedIn(text);
  return todo && `${todo.item} is not implemented yet (chapters/${todo.chapter})`;
}

/** What a failed child said: the not-implemented item of a learner's chapter, wherever it is, else its last lines. */
function whyItFailed(stderr: string): string {
  return notImplemented(stderr) ?? (stderr.trim().split("\n").slice(-3).join(" | ") || "(no output)");
}

/** The learner's conditions for a workload: the reference for every chapter it does not list (see the header). */
export function learnerConditions(needs: string[]): string[] {
  return CHAPTER_NUMBERS.filter((n) => !needs.some((c) => c.startsWith(`${n}-`))).map((n) => `kata-ref-${n}`);
}

/** Why a learner's run failed, shortly: the not-implemented item if that is what it was. */
function shortError(error: string): string {
  return notImplemented(error) ?? error.slice(0, 160);
}

// ---------------------------------------------------------------------------------------------------------------
// Workloads

interface Context {
  opts: Options;
  rounds: number;
  notes: string[];
  /** The conditions of the learner's children for this workload. */
  learner: string[];
}

interface Workload {
  name: string;
  title: string;
  /**
   * The chapters the workload runs (their solutions must exist; the learner's rows run the learner's code for
   * them), and its scripts.
   */
  needs: { chapters: string[]; scripts: string[] };
  defaultRounds: number;
  run(cx: Context): Promise<Row[]>;
}

/**
 * What the spine's workloads run: the runtimes, their tasks and run queues, the budget, and the parker they idle
 * on. The multi-thread runtime also reads chapter 13's clock (it times its batches for the poll-time average); the
 * clock is left to the reference, so that a learner can measure their scheduler once chapter 09 is done.
 */
const SPINE_NEEDS = ["01-poll", "02-state-machines", "03-waker", "04-block-on", "06-task", "07-current-thread", "08-run-queue", "09-work-stealing", "14-blocking"];

/** The channels' workloads: the spine, chapter 16's channels, and chapter 17's `Notify` and list, which they use. */
const CHANNEL_NEEDS = [...SPINE_NEEDS, "16-channels", "17-broadcast-watch"];

type SpineContender = "ct-sm" | "ct-gen" | "mt-sm" | "mt-gen" | "node";
const SPINE_VARIANTS: [SpineContender, string][] = [
  ["ct-sm", "current-thread, state machines"],
  ["ct-gen", "current-thread, generators"],
  ["mt-sm", "multi-thread x4, state machines"],
  ["mt-gen", "multi-thread x4, generators"],
];

interface SpineOutput {
  rounds: Record<string, number[]>;
  errors: Record<string, string>;
}

/** One spine workload: a child with every contender (reference), and one with the learner's (ours only). */
async function spineRows(
  cx: Context,
  workload: string,
  n: number,
  title: string,
  unit: string,
  target: Row["target"],
  variants: [SpineContender, string][],
  note = "",
): Promise<Row[]> {
  const contenders = [...variants.map(([c]) => c), "node"].join(",");
  const [env, flags] = cx.opts.cpu ? [{ BENCH_CLOCK: "cpu" }, ["--single-threaded-gc"]] : [{}, []];
  const ref = await runChild("spine.ts", [workload, String(n), String(cx.rounds), contenders], REFERENCE, env, flags);
  if (!ref.ok) {
    cx.notes.push(`${title}: ${ref.error}`);
    return [];
  }
  const out = JSON.parse(lastLine(ref.stdout)) as SpineOutput;
  let learner: SpineOutput | null = null;
  if (cx.opts.learner) {
    const mine = variants.map(([c]) => c).join(",");
    const res = await runChild("spine.ts", [workload, String(n), String(cx.rounds), mine], cx.learner, env, flags);
    if (res.ok) learner = JSON.parse(lastLine(res.stdout)) as SpineOutput;
    else cx.notes.push(`${title}, learner: ${shortError(res.error)}`);
  }
  return variants.map(([c, variant]) => {
    const errors = [out.errors[c], learner?.errors[c] && `learner: ${shortError(learner.errors[c])}`].filter(Boolean);
    return row(
      title,
      variant,
      unit,
      "lower",
      { ours: out.rounds[c] ?? [], node: out.rounds.node ?? [], learner: learner?.rounds[c] ?? [] },
      target,
      [note, ...errors].filter(Boolean).join("; "),
    );
  });
}

const lastLine = (text: string): string => text.trim().split("\n").pop() ?? "";

/** Runs `script` once per round (a child per round, reference then learner), collecting what `parse` reads. */
async function perRound<T>(
  cx: Context,
  title: string,
  script: string,
  args: string[],
  env: Record<string, string>,
  parse: (stdout: string) => T,
  take: (who: "ours" | "learner", value: T) => void,
): Promise<void> {
  for (const who of cx.opts.learner ? (["ours", "learner"] as const) : (["ours"] as const)) {
    for (let r = 0; r < cx.rounds; r++) {
      const res = await runChild(script, args, who === "ours" ? REFERENCE : cx.learner, env);
      if (!res.ok) {
        cx.notes.push(`${title}${who === "learner" ? ", learner" : ""}: ${who === "learner" ? shortError(res.error) : res.error}`);
        break;
      }
      try {
        take(who, parse(res.stdout));
      } catch (e) {
        cx.notes.push(`${title}: could not read the output of ${script} (${(e as Error).message}); it said: ${res.stdout.slice(0, 300)}`);
        return;
      }
    }
  }
}

/** The number after `label` at the start of a line of `text`. */
function figure(text: string, label: string | RegExp): number {
  const re = typeof label === "string" ? new RegExp(`^${label.replace(/[()+]/g, "\\$&")}\\s+([\\d.]+)`, "m") : label;
  const m = re.exec(text);
  if (m === null) throw new Error(`no line for ${String(label)}`);
  return Number(m[1]);
}

async function channelsRows(cx: Context, which: "stream" | "pingpong" | "both"): Promise<Row[]> {
  const messages = cx.opts.quick ? 1_000_000 : 10_000_000;
  const trips = cx.opts.quick ? 100_000 : 1_000_000;
  const env: Record<string, string> = which === "both" ? {} : { BENCH_ONLY: which };
  // Per workload and style: ours, node idiomatic, node tuned, round by round.
  const data = new Map<string, { ours: number[]; learner: number[]; idiomatic: number[]; tuned: number[] }>();
  const slot = (k: string) => {
    let d = data.get(k);
    if (d === undefined) data.set(k, (d = { ours: [], learner: [], idiomatic: [], tuned: [] }));
    return d;
  };
  // channels.ts prints a titled block per workload: "mpsc bounded(128), ..." then "ping-pong over ...".
  const sections = (stdout: string) => {
    const parts: Record<string, string> = {};
    const stream = stdout.indexOf("mpsc bounded");
    const ping = stdout.indexOf("ping-pong over");
    if (stream >= 0) parts.stream = stdout.slice(stream, ping > stream ? ping : undefined);
    if (ping >= 0) parts.pingpong = stdout.slice(ping, stream > ping ? stream : undefined);
    if (Object.keys(parts).length === 0) throw new Error("no mpsc or ping-pong block");
    return parts;
  };
  await perRound(cx, "channels", "channels.ts", [String(messages), String(trips), "1"], env, sections, (who, parts) => {
    for (const [w, text] of Object.entries(parts)) {
      for (const style of ["sm", "gen"]) {
        const d = slot(`${w} ${style}`);
        d[who].push(figure(text, `ours-${style}`));
        if (who === "ours") {
          d.idiomatic.push(figure(text, "node-idiomatic"));
          d.tuned.push(figure(text, "node-tuned"));
        }
      }
    }
  });
  const rows: Row[] = [];
  for (const [w, title] of [
    ["stream", `mpsc bounded(128), ${fmtCount(messages)} messages`],
    ["pingpong", `ping-pong, ${fmtCount(trips)} round trips`],
  ] as const) {
    for (const [style, variant] of [
      ["sm", "current-thread, state machines"],
      ["gen", "current-thread, generators"],
    ] as const) {
      const d = data.get(`${w} ${style}`);
      if (d === undefined) continue;
      const unit = w === "stream" ? "ns/msg" : "ns/rt";
      rows.push(row(title, `${variant} vs idiomatic`, unit, "lower", { ours: d.ours, node: d.idiomatic, learner: d.learner }, atLeast(3)));
      rows.push(
        row(title, `${variant} vs tuned`, unit, "lower", { ours: d.ours, node: d.tuned, learner: d.learner }, w === "stream" ? atLeast(1.2) : null),
      );
    }
  }
  return rows;
}

const fmtCount = (n: number): string => (n >= 1e6 && n % 1e6 === 0 ? `${n / 1e6}M` : n >= 1e3 && n % 1e3 === 0 ? `${n / 1e3}k` : String(n));

async function timerRows(cx: Context): Promise<Row[]> {
  const n = cx.opts.quick ? 100_000 : 1_000_000;
  const parts = ["register", "cancel", "fire"] as const;
  const s = Object.fromEntries(parts.map((p) => [p, series()])) as Record<(typeof parts)[number], Series>;
  const read = (stdout: string) => {
    const nums = (label: string) => {
      const m = new RegExp(`^${label}\\s+([\\d.]+)\\s+([\\d.]+)\\s+([\\d.]+)`, "m").exec(stdout);
      if (m === null) throw new Error(`no line for ${label}`);
      return [Number(m[1]), Number(m[2]), Number(m[3])];
    };
    return { node: nums("node setTimeout"), ours: nums("wheel \\(Sleep\\+TimeDriver\\)") };
  };
  await perRound(cx, "timers", "timers.ts", [String(n), "1"], {}, read, (who, v) => {
    parts.forEach((p, i) => {
      s[p][who].push(v.ours[i]!);
      if (who === "ours") s[p].node.push(v.node[i]!);
    });
  });
  const title = `${fmtCount(n)} timers, half cancelled`;
  const note = "ours: Sleep on the time driver, paused clock; Node: setTimeout/clearTimeout, real timers";
  return parts.map((p) => row(title, p, "ns/timer", "lower", s[p], atLeast(1.5), p === "register" ? note : ""));
}

async function tcpRows(cx: Context): Promise<Row[]> {
  const [clients, trips] = cx.opts.quick ? [16, 500] : [64, 2000];
  const trip = series();
  const bulk = series();
  const read = (stdout: string) => {
    const pair = (label: RegExp) => {
      const m = label.exec(stdout);
      if (m === null) throw new Error(`no line for ${String(label)}`);
      return [Number(m[1]), Number(m[2])];
    };
    return {
      trips: pair(/round trips of \d+ B: ours ([\d.]+) round trips\/s, node ([\d.]+)/),
      bulk: pair(/bulk [^:]*: ours ([\d.]+) MiB\/s, node ([\d.]+)/),
    };
  };
  await perRound(cx, "tcp", "tcp-echo.ts", ["1", String(clients), String(trips)], {}, read, (who, v) => {
    trip[who].push(v.trips[0]!);
    bulk[who].push(v.bulk[0]!);
    if (who === "ours") {
      trip.node.push(v.trips[1]!);
      bulk.node.push(v.bulk[1]!);
    }
  });
  return [
    row(`TCP echo, ${clients} clients x ${trips} round trips of 64 B`, "current-thread, generators", "rt/s", "higher", trip, atLeast(0.8)),
    row("TCP bulk, 256 MiB through the echo", "current-thread, generators", "MiB/s", "higher", bulk, atLeast(0.8)),
  ];
}

async function memoryRows(cx: Context): Promise<Row[]> {
  const n = cx.opts.quick ? 100_000 : 1_000_000;
  type M = { heapPerTask: number; rssGrowthMb: number };
  const take = async (who: SpineContender, conditions: string[]): Promise<M[] | string> => {
    const out: M[] = [];
    for (let r = 0; r < cx.rounds; r++) {
      const res = await runChild("spine.ts", ["memory", String(n), "1", who], conditions);
      if (!res.ok) return res.error;
      out.push((JSON.parse(lastLine(res.stdout)) as { memory: Record<string, M> }).memory[who]!);
    }
    return out;
  };
  const node = await take("node", REFERENCE);
  if (typeof node === "string") {
    cx.notes.push(`memory: ${node}`);
    return [];
  }
  const rows: Row[] = [];
  for (const [who, variant] of SPINE_VARIANTS.slice(0, 2)) {
    const ours = await take(who, REFERENCE);
    const learner = cx.opts.learner ? await take(who, cx.learner) : [];
    if (typeof ours === "string") {
      cx.notes.push(`memory ${variant}: ${ours}`);
      continue;
    }
    if (typeof learner === "string") cx.notes.push(`memory ${variant}, learner: ${shortError(learner)}`);
    const heap = (ms: M[]) => stat(ms.map((m) => m.heapPerTask))?.median.toFixed(0) ?? "?";
    const r = row(
      `peak memory, ${fmtCount(n)} pending tasks`,
      variant,
      "MB",
      "lower",
      { ours: ours.map((m) => m.rssGrowthMb), node: node.map((m) => m.rssGrowthMb), learner: typeof learner === "string" ? [] : learner.map((m) => m.rssGrowthMb) },
      { op: "<=", value: 0.5 },
      `RSS growth; heap per task: ours ${heap(ours)} B, Node ${heap(node)} B (async functions awaiting a promise that never settles)`,
    );
    // For memory the ratio is ours/node: the share of Node's memory we need.
    r.ratio = r.ratio === null ? null : 1 / r.ratio;
    r.learnerRatio = r.learnerRatio === null ? null : 1 / r.learnerRatio;
    rows.push(r);
  }
  return rows;
}

// -- redis

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/**
 * A server in a child process: ours or plain (grader/bench/redis.ts), or the real redis-server; the learner's runs
 * under `learner`, its conditions.
 */
export async function startServer(
  kind: "ours" | "plain" | "learner" | "redis-server",
  learner: string[] = [],
): Promise<{ port: number; stop: () => Promise<void> }> {
  let child: ChildProcess;
  let port: Promise<number>;
  if (kind === "redis-server") {
    const p = await freePort();
    child = spawnProcess("redis-server", ["--port", String(p), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    port = waitFor(child, /Ready to accept connections/).then(() => p);
  } else {
    const conditions = kind === "learner" ? learner : REFERENCE;
    const argv = [...conditions.map((c) => `--conditions=${c}`), "--import", "tsx", join("grader", "bench", "redis.ts"), kind === "plain" ? "plain" : "ours"];
    child = spawnProcess(process.execPath, argv, { cwd: ROOT, stdio: ["pipe", "pipe", "pipe"], detached: true });
    port = waitFor(child, /^PORT (\d+)$/m).then((m) => Number(m[1]));
  }
  // Listened for from the start: a server that dies before it is ready has closed by the time `stop` runs.
  const closed = new Promise<void>((resolve) => child.once("close", () => resolve()));
  const stop = async (): Promise<void> => {
    child.stdin?.end();
    const timer = setTimeout(() => killGroup(child.pid), 3000);
    if (kind === "redis-server") killGroup(child.pid);
    await closed;
    clearTimeout(timer);
  };
  try {
    return { port: await port, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** Resolves with the first match of `re` in the child's stdout; rejects if it exits first (with its stderr). */
function waitFor(child: ChildProcess, re: RegExp): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const m = re.exec(out);
      if (m !== null) resolve(m);
    });
    child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
    child.once("close", (code) => reject(new Error(`the server exited (${code}) before it was ready: ${whyItFailed(err)}`)));
  });
}

/** `redis-benchmark -t get,set`: requests per second of each. */
function redisBenchmark(port: number, requests: number): Promise<{ GET: number; SET: number }> {
  return new Promise((resolve, reject) => {
    const args = ["-h", "127.0.0.1", "-p", String(port), "-c", "50", "-n", String(requests), "-t", "set,get", "--csv"];
    const child = spawnProcess("redis-benchmark", args, { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), 300_000);
    child.on("close", () => {
      clearTimeout(timer);
      const rps = (test: string) => Number(new RegExp(`^"${test}","([\\d.]+)"`, "m").exec(out)?.[1] ?? NaN);
      const r = { GET: rps("GET"), SET: rps("SET") };
      if (Number.isNaN(r.GET) || Number.isNaN(r.SET)) reject(new Error(`redis-benchmark said: ${out.slice(0, 300)}`));
      else resolve(r);
    });
  });
}

function hasCommand(cmd: string): boolean {
  return (process.env.PATH ?? "").split(":").some((dir) => existsSync(join(dir, cmd)));
}

async function redisRows(cx: Context): Promise<Row[]> {
  if (!hasCommand("redis-benchmark")) {
    cx.notes.push("redis: skipped, redis-benchmark is missing (apt-get install -y redis-tools)");
    return [];
  }
  const requests = cx.opts.quick ? 20_000 : 200_000;
  type Kind = "ours" | "plain" | "learner" | "redis-server";
  const kinds: Kind[] = ["ours", "plain"];
  if (hasCommand("redis-server")) kinds.push("redis-server");
  else cx.notes.push("redis: redis-server is missing (apt-get install -y redis-server): measured without it");
  if (cx.opts.learner) kinds.push("learner");
  const rps: Partial<Record<Kind, { GET: number[]; SET: number[] }>> = {};
  /** A learner's server that failed is noted and left out; the others are still measured. */
  let learnerFailed = false;
  for (let r = 0; r < cx.rounds; r++) {
    // Servers take turns, in a different order each round.
    for (const kind of r % 2 === 0 ? kinds : [...kinds].reverse()) {
      if (kind === "learner" && learnerFailed) continue;
      try {
        const server = await startServer(kind, cx.learner);
        try {
          const res = await redisBenchmark(server.port, requests);
          const slot = (rps[kind] ??= { GET: [], SET: [] });
          slot.GET.push(res.GET);
          slot.SET.push(res.SET);
        } finally {
          await server.stop();
        }
      } catch (e) {
        if (kind === "learner") {
          learnerFailed = true;
          cx.notes.push(`redis, learner: ${shortError((e as Error).message)}`);
          continue;
        }
        cx.notes.push(`redis, ${kind}: ${(e as Error).message}`);
        return [];
      }
    }
  }
  return (["GET", "SET"] as const).map((test) => {
    const real = stat(rps["redis-server"]?.[test] ?? []);
    return row(
      `mini-redis under redis-benchmark, 50 clients, ${fmtCount(requests)} requests`,
      `${test}, current-thread (Node: plain node:net server)`,
      "req/s",
      "higher",
      { ours: rps.ours?.[test] ?? [], node: rps.plain?.[test] ?? [], learner: rps.learner?.[test] ?? [] },
      atLeast(0.9),
      real === null ? "" : `redis-server itself: ${fmt(real.median)} req/s`,
    );
  });
}

export const WORKLOADS: Workload[] = [
  {
    name: "spawn",
    title: "spawn and join 1M tasks that return at once (Node: Promise.all of async functions)",
    needs: { chapters: SPINE_NEEDS, scripts: ["spine.ts"] },
    defaultRounds: 5,
    run: (cx) => {
      const n = cx.opts.quick ? 100_000 : 1_000_000;
      return spineRows(cx, "spawn", n, `spawn and join ${fmtCount(n)} tasks, return at once`, "ns/task", atLeast(1), SPINE_VARIANTS);
    },
  },
  {
    name: "spawn-yield",
    title: "spawn and join 1M tasks that yield once (Node: await null)",
    needs: { chapters: SPINE_NEEDS, scripts: ["spine.ts"] },
    defaultRounds: 5,
    run: (cx) => {
      const n = cx.opts.quick ? 100_000 : 1_000_000;
      return spineRows(cx, "spawn-yield", n, `spawn and join ${fmtCount(n)} tasks, yield once`, "ns/task", atLeast(2), SPINE_VARIANTS);
    },
  },
  {
    name: "mpsc",
    title: "bounded mpsc(128), 10M messages, one producer, one consumer",
    needs: { chapters: CHANNEL_NEEDS, scripts: ["channels.ts", "spine.ts"] },
    defaultRounds: 5,
    run: async (cx) => {
      const n = cx.opts.quick ? 1_000_000 : 10_000_000;
      const ct = await channelsRows(cx, "stream");
      const mt = await spineRows(cx, "mpsc", n, `mpsc bounded(128), ${fmtCount(n)} messages`, "ns/msg", atLeast(3), SPINE_VARIANTS.slice(2), "vs idiomatic");
      return [...ct, ...mt];
    },
  },
  {
    name: "ping-pong",
    title: "ping-pong over two bounded(1) channels, 1M round trips",
    needs: { chapters: CHANNEL_NEEDS, scripts: ["channels.ts", "spine.ts"] },
    defaultRounds: 5,
    run: async (cx) => {
      const n = cx.opts.quick ? 100_000 : 1_000_000;
      const ct = await channelsRows(cx, "pingpong");
      const mt = await spineRows(cx, "ping-pong", n, `ping-pong, ${fmtCount(n)} round trips`, "ns/rt", atLeast(3), SPINE_VARIANTS.slice(2), "vs idiomatic");
      return [...ct, ...mt];
    },
  },
  {
    name: "timers",
    title: "1M timers, half cancelled, the rest fired (paused clock for ours, real timers for Node)",
    needs: { chapters: [...SPINE_NEEDS, "12-timer-wheel", "13-time"], scripts: ["timers.ts"] },
    defaultRounds: 5,
    run: timerRows,
  },
  {
    name: "tcp",
    title: "TCP echo on 127.0.0.1: 64 clients x 2,000 round trips of 64 B; 256 MiB bulk",
    needs: { chapters: [...SPINE_NEEDS, "10-mio", "11-io-driver", "12-timer-wheel", "13-time"], scripts: ["tcp-echo.ts"] },
    defaultRounds: 5,
    run: tcpRows,
  },
  {
    name: "redis",
    title: "mini-redis (chapter 19) under redis-benchmark GET/SET, 50 clients, vs plain node:net and redis-server",
    needs: {
      chapters: [...SPINE_NEEDS, "10-mio", "11-io-driver", "12-timer-wheel", "13-time", "16-channels", "17-broadcast-watch", "18-select-cancel", "19-capstone"],
      scripts: ["redis.ts"],
    },
    defaultRounds: 3,
    run: redisRows,
  },
  {
    name: "memory",
    title: "peak memory of 1M pending tasks (Node: 1M pending async functions)",
    needs: { chapters: SPINE_NEEDS, scripts: ["spine.ts"] },
    defaultRounds: 3,
    run: memoryRows,
  },
];

// ---------------------------------------------------------------------------------------------------------------
// The table

function fmt(x: number): string {
  if (x >= 100_000) return `${(x / 1000).toFixed(0)}k`;
  if (x >= 10_000) return `${(x / 1000).toFixed(1)}k`;
  if (x >= 100) return x.toFixed(0);
  if (x >= 10) return x.toFixed(1);
  return x.toFixed(2);
}

const fmtStat = (s: Stat | null): string => (s === null ? "-" : `${fmt(s.median)} [${fmt(s.min)}-${fmt(s.max)}]`);

function met(r: Row): string {
  if (r.target === null || r.ratio === null) return "";
  const ok = r.target.op === ">=" ? r.ratio >= r.target.value : r.ratio <= r.target.value;
  return ok ? "yes" : "no";
}

function printTable(rows: Row[], learner: boolean): void {
  const header = ["runtime, style", "unit", "ours", "node", ...(learner ? ["learner", "learner ratio"] : []), "ratio", "target", "met"];
  const cells = (r: Row): string[] => [
    r.variant,
    r.unit,
    fmtStat(r.ours),
    fmtStat(r.node),
    ...(learner ? [fmtStat(r.learner), r.learnerRatio === null ? "-" : r.learnerRatio.toFixed(2)] : []),
    r.ratio === null ? "-" : r.ratio.toFixed(2),
    r.target === null ? "" : `${r.target.op} ${r.target.value}`,
    met(r),
  ];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => cells(r)[i]!.length)));
  const line = (cs: string[]) => cs.map((c, i) => (i >= 2 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join("  ");
  let current = "";
  console.log(line(header));
  for (const r of rows) {
    if (r.workload !== current) {
      current = r.workload;
      console.log(`\n${current}`);
    }
    console.log(line(cells(r)) + (r.note === "" ? "" : `   ${r.note}`));
  }
}

function machine(): Record<string, unknown> {
  return {
    cpus: availableParallelism(),
    model: cpus()[0]?.model ?? "unknown",
    os: `${type()} ${release()}`,
    node: process.version,
    loadavg: loadavg().map((l) => Number(l.toFixed(2))),
  };
}

async function main(): Promise<void> {
  let opts: Options;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`bench: ${(e as Error).message}`);
    process.exit(2);
  }
  const started = new Date();
  const m = machine();
  console.log(`kata bench, ${started.toISOString()}: ${m.cpus} cores (${m.model}), ${m.os}, node ${m.node}, load ${(m.loadavg as number[]).join(" ")}`);
  console.log("ratio: node/ours for times, ours/node for rates (above 1: ours is faster); ours/node for memory (below 1: ours is smaller)");
  if (opts.cpu) console.log("--cpu: the spine's workloads (spawn, yield, multi-thread channels) in CPU time; the rest in wall-clock time");
  if (opts.learner) console.log("learner: your chapters where a workload runs them (`--list` names them), the reference's where it only loads them");
  const rows: Row[] = [];
  const notes: string[] = [];
  for (const w of WORKLOADS) {
    if (opts.only !== null && !opts.only.has(w.name)) continue;
    const missing = [
      ...w.needs.chapters.filter((c) => !existsSync(join(ROOT, "solutions", c, "index.ts"))).map((c) => `solutions/${c}`),
      ...w.needs.scripts.filter((s) => !existsSync(join(ROOT, "grader", "bench", s))).map((s) => `grader/bench/${s}`),
    ];
    if (missing.length > 0) {
      notes.push(`${w.name}: skipped, not landed yet: ${missing.join(", ")}`);
      continue;
    }
    const rounds = opts.rounds ?? (opts.quick ? 2 : w.defaultRounds);
    const t0 = performance.now();
    process.stderr.write(`running ${w.name} (${rounds} rounds) ... `);
    rows.push(...(await w.run({ opts, rounds, notes, learner: learnerConditions(w.needs.chapters) })));
    process.stderr.write(`${((performance.now() - t0) / 1000).toFixed(0)} s\n`);
  }
  console.log();
  printTable(rows, opts.learner);
  if (notes.length > 0) console.log(`\nnotes:\n${notes.map((n) => `- ${n}`).join("\n")}`);
  if (opts.json !== null) {
    const report = { schema: "kata-bench/1", date: started.toISOString(), machine: m, options: { ...opts, only: opts.only && [...opts.only] }, rows, notes };
    writeFileSync(opts.json, JSON.stringify(report, null, 2) + "\n");
    console.log(`\nwrote ${opts.json}`);
  }
}

// Run as a script (`npm run bench`, `kata bench`); imported by the grader's tests, it only exports. Node gives this
// module its real path, so the script's path is compared once its links are resolved.
if (process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
