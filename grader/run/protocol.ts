/**
 * The names the grader and the code inside a test fork agree on. Free of imports on purpose: the setup files
 * load it into every fork, where a schema library would cost each test file its start-up time.
 */

/** The name of the canary test integrity-setup.ts adds to every file: it must be reported passed (by failing). */
export const CANARY = "kata canary: a false assertion fails";
/** How the integrity re-check's error starts, when a false assertion passes after the tests ran. */
export const INTEGRITY_ERROR = "kata integrity:";

export const RESULTS_FILE = "results.ndjson";
export const phasesFile = (pid: number) => `phases-${pid}.ndjson`;
export const PHASES_FILE_PATTERN = /^phases-\d+\.ndjson$/;
