import { defaultServerConditions } from "vite";
import { defineConfig } from "vitest/config";
import { conditionsFor, parseMode } from "./kit/modes.ts";
const mode = parseMode(process.env.KATA_MODE ?? "integrated");
export default defineConfig({
  ssr: { resolve: { conditions: [...conditionsFor(mode), ...defaultServerConditions] } },
  test: { include: ["tests/**/*.test.ts", "chapters/**/*.example.test.ts"], pool: "forks", maxWorkers: 2, isolate: process.env.ISO !== "0", testTimeout: 5000 },
});
