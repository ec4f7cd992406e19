/**
 * What a learner is shown of a failure: the assertion's message and nothing else.
 *
 * Stack traces and code frames are dropped (they would show hidden test code), colours are stripped, paths are
 * made relative to the workbook, a stub's `NotImplementedError` (kit/todo.ts) becomes "not implemented yet:
 * <item>", and a syntax error becomes one line that names the file and position.
 */
import type { ErrorRecord } from "./run/records.ts";

const ANSI = /\u001b\[[0-9;]*[A-Za-z]/g;
const MAX_LINES = 8;
const MAX_CHARS = 600;
/**
 * How long a value may print in an assertion's message before chai shortens it (`chaiConfig.truncateThreshold` of
 * the grader's runs): two values of this length and the words around them fit in `MAX_CHARS`.
 */
export const LEARNER_VALUE_CHARS = 240;

export function stripAnsi(text: string): string {
  return text.replace(ANSI, "");
}

/** A stub's error: its item ("Ready.poll"), or undefined when the error is something else. */
export function notImplementedItem(error: ErrorRecord): string | undefined {
  return error.item;
}

/** "syntax error in chapters/01-poll/index.ts:3:5: Expected `}` but found `EOF`", from vite/oxc/esbuild text. */
function syntaxError(text: string): string | undefined {
  if (!/Transform failed|PARSE_ERROR|SyntaxError|Parse failure|Unexpected token/.test(text)) return undefined;
  const where = /([\w./@-]+\.[cm]?[jt]sx?):(\d+):(\d+)/.exec(text);
  const what =
    /\[PARSE_ERROR\]\s*(?:Error:\s*)?(.+)/.exec(text)?.[1] ??
    /ERROR:\s*(.+)/.exec(text)?.[1] ??
    /SyntaxError:\s*(.+)/.exec(text)?.[1] ??
    text.split("\n").find((l) => l.trim() !== "" && !/Transform failed/.test(l));
  if (what === undefined) return undefined;
  return where === null ? `syntax error: ${what.trim()}` : `syntax error in ${where[1]}:${where[2]}:${where[3]}: ${what.trim()}`;
}

function isNoise(line: string): boolean {
  return (
    /^\s*at\s/.test(line) || // stack frame
    /^\s*(❯|>)?\s*\d+\s*[|│]/.test(line) || // code frame line
    /^\s*❯\s/.test(line) || // code frame location
    /^\s*[|│╭╰─┬┆]/.test(line) || // code frame gutter and boxes
    /^\s*\^+\s*$/.test(line) ||
    /^\s*⎯+/.test(line)
  );
}

/** How `learnerMessage` names the chapter of another chapter's stub, and how `otherChapterIn` reads it back. */
const IN_CHAPTER = ", in chapters/";

/** The other chapter a "not implemented yet" message names ("03-waker"), if it names one. */
export function otherChapterIn(message: string): string | undefined {
  const at = message.startsWith("not implemented yet: ") ? message.lastIndexOf(IN_CHAPTER) : -1;
  return at < 0 ? undefined : message.slice(at + IN_CHAPTER.length);
}

/**
 * The text to show for an error, relative to `root` (the workbook the run used), in a test of `chapter`: a stub
 * of another chapter is named with its chapter.
 */
export function learnerMessage(error: ErrorRecord, root?: string, chapter?: string): string {
  const item = notImplementedItem(error);
  if (item !== undefined) {
    const elsewhere = error.chapter !== undefined && error.chapter !== chapter;
    return elsewhere ? `not implemented yet: ${item}${IN_CHAPTER}${error.chapter}` : `not implemented yet: ${item}`;
  }
  let text = stripAnsi(error.message);
  if (root !== undefined) text = text.split(root.endsWith("/") ? root : root + "/").join("");
  const syntax = syntaxError(text);
  if (syntax !== undefined) return syntax;
  const lines = text
    .split("\n")
    .filter((l) => !isNoise(l))
    .map((l) => l.trimEnd());
  while (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  let out = lines.slice(0, MAX_LINES).join("\n");
  if (error.name !== undefined && !["Error", "AssertionError"].includes(error.name) && !out.startsWith(error.name)) {
    out = `${error.name}: ${out}`;
  }
  out = hint(out);
  return out.length > MAX_CHARS ? out.slice(0, MAX_CHARS - 1) + "…" : out;
}

/**
 * The lines of hidden test code worth recognising in a message: long enough, and code rather than a lone string
 * or bracket (a value printed in an assertion's diff may well look like a line of the test's data).
 */
export function sourceLines(texts: readonly string[]): string[] {
  const lines = new Set<string>();
  for (const text of texts) {
    for (const raw of text.split("\n")) {
      const line = raw.trim();
      if (line.length >= 24 && /[(=;{]/.test(line) && !/^["'`].*["'`],?$/.test(line)) lines.add(line);
    }
  }
  return [...lines];
}

/** A message that quotes hidden test code (code under test can read the suite and throw it) is not shown. */
export function withoutHiddenCode(message: string, lines: readonly string[]): string {
  const flat = message.replace(/\s+/g, " ");
  const quoted = lines.some((l) => flat.includes(l.replace(/\s+/g, " ")));
  return quoted ? "the error's message quotes the hidden tests, so it is not shown: fix the code so that the test passes" : message;
}

/** Hints for errors a student can act on once named: a name that is not a function may be a missing export. */
function hint(message: string): string {
  if (/^TypeError: [A-Za-z_$][\w$]* is not a function$/.test(message)) return `${message} (is it exported from the chapter's index.ts?)`;
  if (/^process\.exit unexpectedly called/.test(message)) return `${message}: code under test may not end the process`;
  return message;
}

/** vitest's message for a test that outlived its timeout. */
export function isTestTimeout(error: ErrorRecord): boolean {
  return /^(Test|Hook) timed out in \d+ms/.test(error.message);
}
