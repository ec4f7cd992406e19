/**
 * The mutation reports as text: the per-chapter table (markdown, also printed), each chapter's survivors, and the
 * bug-corpus verdicts.
 */
import type { BugVerdict } from "../bugs.ts";
import { RELEASE_SCORE, type ChapterSummary, type MutantView } from "./score.ts";

const pct = (s: number | null) => (s === null ? "n/a" : `${s.toFixed(2)}%`);
const mins = (ms: number) => `${(ms / 60_000).toFixed(1)} min`;

export function scoreTable(summaries: readonly ChapterSummary[]): string {
  const rows = [
    "| chapter | created | given | killed | timed out | survived | no coverage | errors | equivalent | unreachable | score | run time |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
  ];
  for (const s of summaries) {
    const flag = s.score !== null && s.score < RELEASE_SCORE ? " (below target)" : "";
    rows.push(
      `| ${s.chapter} | ${s.created} | ${s.given} | ${s.killed} | ${s.timeout} | ${s.survived} | ${s.noCoverage} | ${s.errors} | ${s.equivalent} | ${s.unreachable ?? 0} | ${pct(s.score)}${flag} | ${mins(s.durationMs)} |`,
    );
  }
  const total = (k: "created" | "given" | "killed" | "timeout" | "survived" | "noCoverage" | "errors" | "equivalent" | "unreachable") => summaries.reduce((n, s) => n + (s[k] ?? 0), 0);
  const detected = total("killed") + total("timeout");
  const valid = detected + total("survived") + total("noCoverage") - total("equivalent") - total("unreachable");
  const ms = summaries.reduce((n, s) => n + s.durationMs, 0);
  rows.push(
    `| all | ${total("created")} | ${total("given")} | ${total("killed")} | ${total("timeout")} | ${total("survived")} | ${total("noCoverage")} | ${total("errors")} | ${total("equivalent")} | ${total("unreachable")} | ${pct(valid === 0 ? null : Math.round((detected / valid) * 10_000) / 100)} | ${mins(ms)} |`,
  );
  return rows.join("\n");
}

const short = (s: string) => {
  const one = s.replace(/\s+/g, " ").trim();
  return one.length > 90 ? `${one.slice(0, 87)}...` : one;
};
const code = (s: string) => "`` " + short(s).replace(/`/g, "'") + " ``";

function mutantLine(m: MutantView): string {
  const where = `${m.file.replace(/^solutions\//, "")}:${m.line}:${m.column}`;
  const status = m.status === "NoCoverage" ? "no coverage" : `survived, ${m.covering} test(s) reach it`;
  return `- [${m.id}] ${where} ${m.mutator}: ${code(m.original)} -> ${code(m.replacement)} (${status})`;
}

export function survivorsText(s: ChapterSummary): string {
  const out = [`# ${s.chapter}: ${pct(s.score)} (${s.survivors.length} survivor(s), ${s.equivalent} equivalent, ${s.unreachable} unreachable)`, ""];
  out.push("## Survivors", "");
  out.push("Kill each with a test, or record it (the number in brackets is the mutant's id in the last run):");
  out.push("`npm run mutate -- --chapter NN --equivalent ID[,ID] --reason \"why no test can tell\" [--unreachable]`", "");
  out.push(...(s.survivors.length === 0 ? ["none"] : s.survivors.map(mutantLine)), "");
  out.push("## Equivalent, or reachable only by real threads (excluded from the score)", "");
  out.push(...(s.equivalents.length === 0 ? ["none"] : s.equivalents.map((m) => `${mutantLine(m)}\n  - ${m.kind}: ${m.reason}`)), "");
  if (s.stale.length > 0) {
    out.push("## Stale equivalents (match no surviving mutant: remove them)", "");
    out.push(...s.stale.map((e) => `- ${e.file} ${e.mutator}: ${code(e.line)} -> ${code(e.replacement)}`), "");
  }
  return out.join("\n");
}

export function bugsText(verdicts: readonly BugVerdict[]): string {
  const rows = ["| chapter | bug | the mistake | verdict | rejected by |", "|---|---|---|---|---|"];
  for (const v of verdicts) {
    const by = v.rejectedBy[0];
    const more = v.rejectedBy.length > 1 ? ` (+${v.rejectedBy.length - 1} more)` : "";
    const verdict = v.status === "rejected" ? "rejected" : `**${v.status}**${v.message === undefined ? "" : `: ${v.message}`}`;
    rows.push(`| ${v.chapter} | ${v.bug} | ${v.description} | ${verdict} | ${by === undefined ? "" : `${by.name} (${by.status})${more}`} |`);
  }
  return rows.join("\n");
}
