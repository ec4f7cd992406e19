/**
 * A vite plugin that marks where learner code starts running, for the watchdog's phase log.
 *
 * Each module under `chapters/` gets `__kataPhase("load", "<file>")` and each test file
 * `__kataPhase("collect", "<file>")`, prepended on the first line (line numbers stay as written). Imports are
 * hoisted above it, so the mark runs when the module's own top-level code starts: if that code never ends, the
 * last mark names the module. Nothing else in the code changes.
 */
import { relative } from "node:path";
import type { Plugin } from "vite";

export function phasePlugin(root: string): Plugin {
  return {
    name: "kata-phase",
    enforce: "post",
    transform(code, id) {
      if (id.includes("?") || !/\.[cm]?[jt]s$/.test(id)) return null;
      const file = relative(root, id).split("\\").join("/");
      const kind = file.startsWith("chapters/") && !file.endsWith(".test.ts") ? "load" : file.startsWith("tests/") || file.endsWith(".test.ts") ? "collect" : null;
      if (kind === null || file.startsWith("..")) return null;
      return { code: `globalThis.__kataPhase?.(${JSON.stringify(kind)}, ${JSON.stringify(file)});${code}`, map: null };
    },
  };
}
