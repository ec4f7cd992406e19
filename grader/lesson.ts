/**
 * Reading a chapter's lesson files: the `## Task N: <title>` headings of README.md and HINTS.md, and the
 * numbered hints under each heading of HINTS.md.
 */

export interface TaskSection {
  number: number;
  title: string;
  /** the section's lines, up to the next `## ` heading */
  body: string[];
}

/** The `## Task N: <title>` sections of a markdown file, in order (fenced code is skipped). */
export function taskSections(markdown: string): TaskSection[] {
  const sections: TaskSection[] = [];
  let current: TaskSection | undefined;
  let fenced = false;
  for (const line of markdown.split(/\r?\n/)) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    if (!fenced && /^## /.test(line)) {
      const m = /^## Task (\d+): (.+?)\s*$/.exec(line);
      current = m === null ? undefined : { number: Number(m[1]), title: m[2]!, body: [] };
      if (current !== undefined) sections.push(current);
      continue;
    }
    current?.body.push(line);
  }
  return sections;
}

/** The `## ` headings of a markdown file that are not tasks, e.g. "Check your understanding". */
export function otherHeadings(markdown: string): string[] {
  let fenced = false;
  const out: string[] = [];
  for (const line of markdown.split(/\r?\n/)) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    const m = /^## (.+?)\s*$/.exec(line);
    if (!fenced && m !== null && !/^Task \d+:/.test(m[1]!)) out.push(m[1]!);
  }
  return out;
}

/** The numbered items of a section: "1. ..." with its continuation lines. */
export function numberedItems(body: readonly string[]): string[] {
  const items: string[][] = [];
  let open = false;
  for (const line of body) {
    const m = /^\d+\.\s+(.*)$/.exec(line);
    if (m !== null) {
      items.push([m[1]!]);
      open = true;
    } else if (open && (/^\s/.test(line) || line.trim() === "")) {
      items.at(-1)!.push(line.trim());
    } else {
      open = false;
    }
  }
  return items.map((lines) => lines.join("\n").trim());
}

/** A chapter's hints per task number. */
export function parseHints(markdown: string): Map<number, { title: string; hints: string[] }> {
  return new Map(taskSections(markdown).map((s) => [s.number, { title: s.title, hints: numberedItems(s.body) }]));
}
