/**
 * A synchronous client over this chapter's async `KvStore`, served by a runtime on a worker thread (seed 10.4).
 * This one starts a real thread: it takes a fraction of a second.
 */
import { expect, it } from "vitest";
import { BlockingClient, type KvStore } from "#kata/15-coloring";

it("plain synchronous calls into an async store", () => {
  using kv = BlockingClient.start<KvStore>("#kata/15-coloring", "openStore");
  kv.api.set("language", "TypeScript");
  expect(kv.api.get("language")).toBe("TypeScript");
  expect(kv.api.get("nothing")).toBeUndefined();
}, 20_000);
