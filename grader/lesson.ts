/**
 * Reading a chapter's lesson files: the `## ` sections of README.md and HINTS.md, the `## Task N: <title>`
 * ones among them, and the numbered hints under each task of HINTS.md.
 */

export interface Section {
  /** the heading's text, after "## " */
  heading: string;
  /** the section's lines, up to the next `## ` heading */
  body: string[];
}

export interface TaskSection {
  number: number;
  title: string;
  body: string[];
}

/** The `## ` sections of a markdown file, in order (headings inside fenced code do not count). */
export function sections(markdown: string): Section[] {
  const out: Section[] = [];
  let fenced = false;
  for (const line of markdown.split(/\r?\n/)) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    const m = fenced ? null : /^## (.+?)\s*$/.exec(line);
    if (m !== null) out.push({ heading: m[1]!, body: [] });
    else out.at(-1)?.body.push(line);
  }
  return out;
}

/** The `## Task N: <title>` sections, in order. */
export function taskSections(markdown: string): TaskSection[] {
  return sections(markdown).flatMap((s) => {
    const m = /^Task (\d+): (.+)$/.exec(s.heading);
    return m === null ? [] : [{ number: Number(m[1]), title: m[2]!, body: s.body }];
  });
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
