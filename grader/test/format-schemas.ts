/**
 * The machine formats as their consumers define them (from their documentation, not from our writer), as zod
 * schemas, and a small XML reader for JUnit's.
 */
import { z } from "zod";

/** Exercism's results.json, version 3. */
export const ExercismResults = z
  .strictObject({
    version: z.literal(3),
    status: z.enum(["pass", "fail", "error"]),
    message: z.string().max(65_535).nullable().optional(),
    tests: z.array(
      z.strictObject({
        name: z.string().min(1),
        status: z.enum(["pass", "fail", "error"]),
        message: z.string().nullable().optional(),
        output: z.string().max(500).nullable().optional(),
        test_code: z.string().optional(),
        task_id: z.int().positive().optional(),
      }),
    ),
  })
  .superRefine((r, ctx) => {
    if (r.status === "error" && (r.message ?? "") === "") ctx.addIssue({ code: "custom", message: "status error needs a message" });
    r.tests.forEach((t, i) => {
      if (t.status !== "pass" && (t.message ?? "") === "") ctx.addIssue({ code: "custom", path: ["tests", i, "message"], message: "a failed test needs a message" });
    });
  });

const Visibility = z.enum(["hidden", "after_due_date", "after_published", "visible"]);
const OutputFormat = z.enum(["text", "html", "simple_format", "md", "ansi"]);

/** Gradescope's results.json. */
export const GradescopeResults = z.strictObject({
  score: z.number().optional(),
  execution_time: z.number().nonnegative().optional(),
  output: z.string().optional(),
  output_format: OutputFormat.optional(),
  test_output_format: OutputFormat.optional(),
  test_name_format: OutputFormat.optional(),
  visibility: Visibility.optional(),
  stdout_visibility: Visibility.optional(),
  extra_data: z.record(z.string(), z.unknown()).optional(),
  tests: z.array(
    z.strictObject({
      score: z.number().optional(),
      max_score: z.number().optional(),
      status: z.enum(["passed", "failed"]).optional(),
      name: z.string().optional(),
      name_format: OutputFormat.optional(),
      number: z.string().optional(),
      output: z.string().optional(),
      output_format: OutputFormat.optional(),
      tags: z.array(z.string()).optional(),
      visibility: Visibility.optional(),
      extra_data: z.record(z.string(), z.unknown()).optional(),
    }),
  ),
  leaderboard: z.array(z.strictObject({ name: z.string(), value: z.union([z.number(), z.string()]), order: z.enum(["asc", "desc"]).optional() })).optional(),
});

/** The result of a GitHub Classroom grader, what autograding-grading-reporter decodes from `<ID>_RESULTS`. */
export const ClassroomResult = z.strictObject({
  version: z.literal(1),
  status: z.enum(["pass", "fail", "error"]),
  max_score: z.number().nonnegative(),
  tests: z.array(
    z.strictObject({
      name: z.string().min(1),
      status: z.enum(["pass", "fail", "error"]),
      score: z.number().nonnegative(),
      message: z.string(),
      test_code: z.string(),
      filename: z.string(),
      line_no: z.int().nonnegative(),
      duration: z.number().nonnegative(),
    }),
  ),
});

/** An XML element as read by `readXml`. */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const XmlNode: z.ZodType<XmlElement> = z.lazy(() =>
  z.object({ name: z.string(), attributes: z.record(z.string(), z.string()), children: z.array(XmlNode), text: z.string() }),
);
const count = z.string().regex(/^\d+$/);
const seconds = z.string().regex(/^\d+(\.\d+)?$/);
const FailureNode = z.object({ name: z.enum(["failure", "error"]), attributes: z.object({ message: z.string(), type: z.string() }) });
const TestCaseNode = z.object({
  name: z.literal("testcase"),
  attributes: z.object({ name: z.string().min(1), classname: z.string().min(1), time: seconds }),
  children: z.array(FailureNode).max(1),
});
const TestSuiteNode = z.object({
  name: z.literal("testsuite"),
  attributes: z.object({ name: z.string().min(1), tests: count, failures: count, errors: count, time: seconds }),
  children: z.array(TestCaseNode),
});
/** JUnit XML as CI systems read it: `<testsuites>` of `<testsuite>` of `<testcase>`, counts that add up. */
export const JUnitReport = z
  .object({ name: z.literal("testsuites"), attributes: z.object({ tests: count, failures: count, errors: count }), children: z.array(TestSuiteNode) })
  .superRefine((root, ctx) => {
    for (const suite of root.children) {
      const cases = suite.children;
      const failures = cases.filter((c) => c.children[0]?.name === "failure").length;
      const errors = cases.filter((c) => c.children[0]?.name === "error").length;
      if (Number(suite.attributes.tests) !== cases.length || Number(suite.attributes.failures) !== failures || Number(suite.attributes.errors) !== errors) {
        ctx.addIssue({ code: "custom", message: `suite ${suite.attributes.name}: its counts do not match its test cases` });
      }
    }
  });

const ENTITIES: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };
const decode = (s: string) => s.replace(/&(#\d+|#x[0-9a-f]+|\w+);/gi, (_, e: string) => (e.startsWith("#x") ? String.fromCodePoint(parseInt(e.slice(2), 16)) : e.startsWith("#") ? String.fromCodePoint(Number(e.slice(1))) : (ENTITIES[e] ?? `&${e};`)));

/** Reads well-formed XML (elements, attributes, text; no DTD, comments or CDATA): throws if it is not well formed. */
export function readXml(text: string): XmlElement {
  const body = text.replace(/^<\?xml[^?]*\?>\s*/, "");
  const token = /<\/([\w:-]+)\s*>|<([\w:-]+)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|([^<]+)/y;
  const root: XmlElement = { name: "#document", attributes: {}, children: [], text: "" };
  const stack = [root];
  let m: RegExpExecArray | null;
  let at = 0;
  while (at < body.length && (m = token.exec(body)) !== null) {
    at = token.lastIndex;
    const top = stack[stack.length - 1]!;
    if (m[1] !== undefined) {
      if (top.name !== m[1]) throw new Error(`</${m[1]}> closes <${top.name}>`);
      stack.pop();
    } else if (m[2] !== undefined) {
      const attributes: Record<string, string> = {};
      for (const a of (m[3] ?? "").matchAll(/([\w:-]+)="([^"]*)"/g)) attributes[a[1]!] = decode(a[2]!);
      const el: XmlElement = { name: m[2], attributes, children: [], text: "" };
      top.children.push(el);
      if (m[4] !== "/") stack.push(el);
    } else if (m[5] !== undefined) {
      if (top === root && m[5].trim() !== "") throw new Error("text outside the root element");
      top.text += decode(m[5]);
    }
  }
  if (at !== body.length) throw new Error(`not well formed at offset ${at}`);
  if (stack.length !== 1 || root.children.length !== 1) throw new Error("not exactly one root element, closed");
  return XmlNode.parse(root.children[0]);
}
