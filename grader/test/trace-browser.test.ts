/**
 * The trace pages in a real browser: Debian's Chromium, headless, driven by playwright-core, on file URLs (the
 * pages are self-contained: any request that is not the page's own file fails the test). Checks that the lanes,
 * the poll boxes, the steals and the parks are drawn, that hovering and zooming work, and that the wheel has its
 * six levels of 64 slots. Skipped, saying so, where /usr/bin/chromium is not installed.
 *
 * `KATA_SCREENSHOTS=1` also writes the lessons' pictures to docs/images/ (chapter 09's timeline, chapter 12's wheel).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordTrace, renderTrace } from "../trace/command.ts";
import { ROOT } from "./workbooks.ts";

const CHROMIUM = "/usr/bin/chromium";
const hasChromium = existsSync(CHROMIUM);
const skipped = hasChromium ? "" : ` [skipped: ${CHROMIUM} is not installed (apt-get install chromium)]`;
const screenshots = process.env.KATA_SCREENSHOTS === "1" ? join(ROOT, "docs", "images") : undefined;

describe.skipIf(!hasChromium)(`trace pages in Chromium${skipped}`, () => {
  let dir = "";
  let context: BrowserContext;
  const pages = new Map<string, string>();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "kata-browser-"));
    const [burst, wheel] = await Promise.all([
      recordTrace({ root: ROOT, scenario: "spawn-burst", learner: false, seed: 1, workers: 4 }),
      recordTrace({ root: ROOT, scenario: "wheel", learner: false, seed: 1, workers: 4 }),
    ]);
    for (const [name, data] of [["spawn-burst", burst], ["wheel", wheel]] as const) {
      const file = join(dir, `${name}.html`);
      writeFileSync(file, renderTrace(data));
      pages.set(name, pathToFileURL(file).href);
    }
    context = await chromium.launchPersistentContext(join(dir, "profile"), {
      executablePath: CHROMIUM,
      headless: true,
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"],
      viewport: { width: 1400, height: 900 },
    });
  }, 90_000);

  afterAll(async () => {
    await context?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Opens a page and fails on any request other than its own file. */
  async function open(name: string): Promise<Page> {
    const page = await context.newPage();
    const url = pages.get(name)!;
    const foreign: string[] = [];
    page.on("request", (r) => {
      if (r.url() !== url) foreign.push(r.url());
    });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(url);
    expect(foreign, "a self-contained page fetches nothing").toEqual([]);
    expect(errors, "the page's script runs without errors").toEqual([]);
    return page;
  }

  it("the spawn burst: a lane per worker, poll boxes, steal arrows, parks; hover titles; the zoom", async () => {
    const page = await open("spawn-burst");
    await expect.poll(() => page.locator("#timeline g.lane").count()).toBe(5);
    expect(await page.locator("#timeline g.lane text").allTextContents()).toEqual(["outside", "worker 0", "worker 1", "worker 2", "worker 3"]);
    const polls = await page.locator("#timeline rect.poll.steal, #timeline rect.poll.lifo, #timeline rect.poll.local, #timeline rect.poll.inject").count();
    expect(polls, "poll boxes").toBeGreaterThan(50);
    expect(await page.locator("#timeline rect.poll.steal").count(), "polls of stolen tasks").toBeGreaterThan(0);
    expect(await page.locator("#timeline g.steal").count(), "steal arrows").toBeGreaterThan(0);
    expect(await page.locator("#timeline rect.park").count(), "parks").toBeGreaterThan(0);
    expect(await page.locator("#timeline rect.poll.steal title").first().textContent()).toMatch(/^worker \d, step \d+: polls task \d+ \(child \d+\) stolen from another worker's queue/);
    const box = await page.locator("#timeline rect.poll.steal").first().boundingBox();
    expect(box!.width).toBeGreaterThan(1);
    await expect.poll(() => page.locator("#legend").isVisible()).toBe(true);
    expect(await page.locator("#metrics tr").count(), "the counters table").toBeGreaterThan(5);

    const before = Number(await page.locator("#timeline").getAttribute("width"));
    await page.locator("#zoom-in").click();
    expect(Number(await page.locator("#timeline").getAttribute("width"))).toBeGreaterThan(before * 1.3);
    await page.locator("#zoom-out").click();
    expect(Math.abs(Number(await page.locator("#timeline").getAttribute("width")) - before), "back to where it was").toBeLessThan(2);

    if (screenshots !== undefined) {
      mkdirSync(screenshots, { recursive: true });
      const top = (await page.locator("h1").boundingBox())!;
      const bottom = (await page.locator(".scroll").boundingBox())!;
      await page.screenshot({ path: join(screenshots, "trace-09-spawn-burst.png"), clip: { x: 0, y: top.y - 16, width: 1400, height: bottom.y + bottom.height - top.y + 32 } });
    }
    await page.close();
  }, 60_000);

  it("the wheel: frames of six levels of 64 slots, occupied slots, the cursor, a cascade marked", async () => {
    const page = await open("wheel");
    const frames = page.locator("svg.wheel-frame");
    expect(await frames.count()).toBeGreaterThanOrEqual(8);
    expect(await frames.nth(1).locator("g.level").count()).toBe(6);
    expect(await frames.nth(1).locator("rect.slot").count()).toBe(6 * 64);
    expect(await frames.nth(1).locator("rect.slot.occupied").count(), "nine timers, one slot each here").toBe(9);
    expect(await page.locator("rect.slot.wrong").count(), "the reference's bits agree with its timers").toBe(0);
    expect(await frames.nth(2).locator("rect.moved-from").count(), "70 ms cascaded at 64 ms").toBe(1);
    expect(await frames.nth(1).locator("rect.slot.occupied title").first().textContent()).toMatch(/^level 0, slot 3 .*: 3 ms/);
    if (screenshots !== undefined) await page.locator("#frame-2").screenshot({ path: join(screenshots, "trace-12-wheel.png") });
    await page.close();
  }, 60_000);
});
