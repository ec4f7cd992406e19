/**
 * Running the grader's helper processes (tsc, the exports probe) in their own process group with a deadline.
 */
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

export interface ToolResult {
  code: number | null;
  stdout: string;
  /** stdout and stderr together, as a person would read them */
  output: string;
}

const require = createRequire(import.meta.url);
const TSC = join(dirname(require.resolve("typescript/package.json")), "bin", "tsc");

/** node arguments that run TypeScript's `tsc -p <project>`. */
export function tscArgs(project: string): string[] {
  return [TSC, "-p", project, "--pretty", "false"];
}

/** Kills a detached child's whole process group (the child and whatever it started), if any of it is left. */
export function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // the group is already gone
  }
}

export function runTool(command: string, args: readonly string[], cwd: string, deadlineMs: number): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let output = "";
    child.stdout.setEncoding("utf8").on("data", (s: string) => {
      stdout += s;
      output += s;
    });
    child.stderr.setEncoding("utf8").on("data", (s: string) => {
      output += s;
    });
    const kill = () => killGroup(child.pid);
    const timer = setTimeout(() => {
      output += `\n(stopped after ${deadlineMs / 1000} s)`;
      kill();
    }, deadlineMs);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      kill();
      resolve({ code, stdout, output });
    });
  });
}
