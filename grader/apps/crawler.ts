/**
 * `crawler`: a fan-out crawler over the simulated network (chapter 10), with a concurrency limit, a timeout per
 * page and cancellation, on the assembled runtime. The integration suite runs it on a paused clock, so slow and
 * silent sites are deterministic.
 *
 *     the web (`serveWeb`)      a site per address ("10.0.0.1:80"): a request line "GET /path\n" is answered after
 *                               the page's delay with one line per link ("10.0.0.2:80/b\n"), then the site closes
 *                               the connection; a page may never answer (`hang`); an address with no site refuses
 *     the crawler (`crawl`)     from the start URLs, breadth-first: every URL not seen yet is fetched by a task of
 *                               a JoinSet, at most `concurrency` at once (a Semaphore permit per fetch), each within
 *                               `timeoutMs` (`time.timeout`); the links of each page fetched are crawled in turn,
 *                               until none is left, `maxPages` were fetched, or `cancel` is cancelled: then every
 *                               fetch still running is aborted (`JoinSet.shutdown`) and the report says so
 *
 * The report lists the URLs fetched, timed out and failed (refused, reset), each sorted, and whether the crawl was
 * cancelled. A URL is `host:port/path`.
 */
import {
  asyncBlock,
  asyncFn,
  branch,
  io,
  net,
  select,
  spawn,
  sync,
  task,
  time,
  type AsyncGen,
} from "../runtime/index.ts";

export interface Page {
  /** Links on the page (URLs). */
  links: string[];
  /** How long the site takes to answer, in ms. */
  delayMs?: number;
  /** The site never answers this page. */
  hang?: boolean;
}

/** The simulated web: URL -> page. */
export type Web = Record<string, Page>;

export interface CrawlOptions {
  /** Fetches running at once. */
  concurrency: number;
  /** The longest a fetch may take, in ms. */
  timeoutMs: number;
  /** Stop after this many pages fetched. Default: no limit. */
  maxPages?: number;
  /** Cancel it to stop the crawl. */
  cancel?: sync.CancellationToken;
}

export interface CrawlReport {
  fetched: string[];
  timedOut: string[];
  failed: string[];
  cancelled: boolean;
}

function splitUrl(url: string): [host: string, path: string] {
  const slash = url.indexOf("/");
  return slash < 0 ? [url, "/"] : [url.slice(0, slash), url.slice(slash)];
}

const encoder = new TextEncoder();

/**
 * Starts a site for every host of `web` on the current runtime's network; each serves its pages until `shutdown`
 * is cancelled. Returns once every site listens.
 */
export const serveWeb = asyncFn(function* (web: Web, shutdown: sync.CancellationToken): AsyncGen<void> {
  const hosts = new Map<string, Map<string, Page>>();
  for (const [url, page] of Object.entries(web)) {
    const [host, path] = splitUrl(url);
    if (!hosts.has(host)) hosts.set(host, new Map());
    hosts.get(host)!.set(path, page);
  }
  for (const [host, pages] of hosts) {
    const listener = yield* net.TcpListener.bind(host);
    spawn(site(listener, pages, shutdown));
  }
});

const site = asyncFn(function* (listener: net.TcpListener, pages: Map<string, Page>, shutdown: sync.CancellationToken): AsyncGen<void> {
  const page = asyncFn(function* (stream: net.TcpStream): AsyncGen<void> {
    try {
      const line = yield* new io.FramedRead(stream, new io.LinesCodec()).next();
      const found = pages.get(line?.replace(/^GET /, "") ?? "");
      if (found?.hang === true) yield* time.sleep(Infinity);
      if (found === undefined) return;
      if (found.delayMs !== undefined) yield* time.sleep(found.delayMs);
      yield* io.writeAll(stream, encoder.encode(found.links.map((l) => `${l}\n`).join("")));
    } finally {
      stream.close();
    }
  });
  using set = new task.JoinSet<void>();
  try {
    for (;;) {
      const accepted = yield* select(
        [branch(shutdown.cancelled(), () => null), branch(listener.accept(), ([stream]) => stream), branch(set.joinNext(), () => undefined, { if: !set.isEmpty() })],
        { biased: true },
      );
      if (accepted === null) return;
      if (accepted !== undefined) set.spawn(page(accepted));
    }
  } finally {
    listener.close();
  }
});

/** Fetches one page: its links. Throws the connection's error (refused, reset). */
export const fetchPage = asyncFn(function* (url: string): AsyncGen<string[]> {
  const [host, path] = splitUrl(url);
  const stream = yield* net.TcpStream.connect(host);
  try {
    yield* io.writeAll(stream, encoder.encode(`GET ${path}\n`));
    const body = yield* io.readToEnd(stream);
    return new TextDecoder().decode(body).split("\n").filter((l) => l !== "");
  } finally {
    stream.close();
  }
});

type Outcome = { url: string; links: string[] } | { url: string; timedOut: true } | { url: string; error: unknown };

export const crawl = asyncFn(function* (start: readonly string[], options: CrawlOptions): AsyncGen<CrawlReport> {
  const cancel = options.cancel ?? new sync.CancellationToken();
  const limit = new sync.Semaphore(options.concurrency);
  const report: CrawlReport = { fetched: [], timedOut: [], failed: [], cancelled: false };
  const seen = new Set<string>();
  using set = new task.JoinSet<Outcome>();
  const visit = (url: string) => {
    if (seen.has(url)) return;
    seen.add(url);
    set.spawn(
      asyncBlock(function* (): AsyncGen<Outcome> {
        using _permit = yield* limit.acquire();
        try {
          return { url, links: yield* time.timeout(options.timeoutMs, fetchPage(url)) };
        } catch (e) {
          return e instanceof time.Elapsed ? { url, timedOut: true } : { url, error: e };
        }
      }),
    );
  };
  start.forEach(visit);
  while (!set.isEmpty()) {
    if (options.maxPages !== undefined && report.fetched.length >= options.maxPages) break;
    const outcome = yield* select([branch(cancel.cancelled(), () => null), branch(set.joinNext(), (o) => o!)], { biased: true });
    if (outcome === null) {
      report.cancelled = true;
      break;
    }
    if ("links" in outcome) {
      report.fetched.push(outcome.url);
      outcome.links.forEach(visit);
    } else if ("timedOut" in outcome) report.timedOut.push(outcome.url);
    else report.failed.push(outcome.url);
  }
  yield* set.shutdown();
  report.fetched.sort();
  report.timedOut.sort();
  report.failed.sort();
  return report;
});
