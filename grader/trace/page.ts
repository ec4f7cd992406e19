/**
 * The page around a trace picture: one self-contained HTML file (inline CSS, SVG and a little script; nothing is
 * fetched), the same for the same input (no dates, no random ids), legible without the script.
 */

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
export const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/** A number for an SVG attribute: at most two decimals, no trailing zeros. */
export const num = (n: number): string => String(Math.round(n * 100) / 100);

/** A duration in words: "40 ms", "5 s", "4.37 min", "3 days". */
export function ms(t: number): string {
  const units: [number, string][] = [[86_400_000, "days"], [3_600_000, "h"], [60_000, "min"], [1000, "s"]];
  for (const [size, name] of units) if (t >= size) return `${+(t / size).toFixed(2)} ${name}`;
  return `${t} ms`;
}

const CSS = `
:root { color-scheme: light; --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --bg: #ffffff; --panel: #f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0; padding: 24px 28px 48px; font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink); background: var(--bg); }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 28px 0 8px; }
p { max-width: 980px; margin: 6px 0; }
.meta { color: var(--muted); font-size: 13px; }
.meta code, p code { background: var(--panel); padding: 1px 4px; border-radius: 4px; font-size: 12.5px; }
.scroll { overflow-x: auto; border: 1px solid var(--line); border-radius: 6px; background: var(--bg); margin: 10px 0; }
svg { display: block; }
svg text { font: 11px system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; fill: var(--ink); }
svg text.lane { font-weight: 600; font-size: 12px; }
svg text.small { font-size: 9.5px; fill: var(--muted); }
.legend { display: flex; flex-wrap: wrap; gap: 6px 18px; margin: 10px 0; font-size: 13px; }
.legend span { display: inline-flex; align-items: center; gap: 6px; }
.legend svg { display: inline-block; }
table { border-collapse: collapse; margin: 8px 0; font-size: 13px; }
th, td { border: 1px solid var(--line); padding: 3px 9px; text-align: right; }
th { background: var(--panel); font-weight: 600; }
td:first-child, th:first-child { text-align: left; }
.controls { margin: 8px 0; font-size: 13px; color: var(--muted); }
.controls button { font: inherit; padding: 1px 9px; margin: 0 2px; border: 1px solid var(--line); background: var(--panel); border-radius: 4px; cursor: pointer; }
.note { color: var(--muted); font-size: 13px; }
`;

/** The whole page: a title, paragraphs of explanation, the body (SVG, tables), and an optional script. */
export function page(title: string, body: string, script = ""): string {
  return [
    "<!doctype html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(title)}</title>`,
    `<style>${CSS}</style>`,
    "</head>",
    "<body>",
    body,
    script === "" ? "" : `<script>${script}</script>`,
    "</body>",
    "</html>",
    "",
  ].join("\n");
}
