/**
 * The parts of Stryker's JSON report (mutation-testing-report-schema) this tool reads, checked with zod.
 */
import { z } from "zod";

const Position = z.object({ line: z.int(), column: z.int() });

export const MutantStatus = z.enum(["Killed", "Survived", "NoCoverage", "Timeout", "CompileError", "RuntimeError", "Ignored", "Pending"]);
export type MutantStatus = z.infer<typeof MutantStatus>;

export const ReportMutant = z.object({
  id: z.string(),
  mutatorName: z.string(),
  replacement: z.string().optional(),
  status: MutantStatus,
  statusReason: z.string().optional(),
  static: z.boolean().optional(),
  killedBy: z.array(z.string()).optional(),
  coveredBy: z.array(z.string()).optional(),
  location: z.object({ start: Position, end: Position }),
});
export type ReportMutant = z.infer<typeof ReportMutant>;

export const StrykerReport = z.object({
  files: z.record(z.string(), z.object({ source: z.string(), mutants: z.array(ReportMutant) })),
  testFiles: z
    .record(z.string(), z.object({ tests: z.array(z.object({ id: z.string(), name: z.string() })) }))
    .optional(),
});
export type StrykerReport = z.infer<typeof StrykerReport>;
