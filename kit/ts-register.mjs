/**
 * Makes this process load TypeScript through the kit's hooks (ts-hooks.mjs): `node --import ./kit/ts-register.mjs
 * entry.ts`. The `kata` CLI starts so (package.json), and so does every TypeScript worker thread (ts-worker.ts).
 * Stack traces point into the `.ts` sources.
 *
 * Why not tsx, as the benchmarks and the grader's other child processes use: tsx's command line starts a second
 * Node process to run the entry in, and its loader costs more to start; on this machine `kata grade --chapters 01`
 * took 1.8-2.6 s through tsx and 1.3-1.7 s through these hooks.
 */
import { register } from "node:module";

register(new URL("./ts-hooks.mjs", import.meta.url));
process.setSourceMapsEnabled(true);
