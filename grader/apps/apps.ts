/**
 * The apps `kata run` knows. Each module exports a function that serves on a listener until a shutdown token is
 * cancelled and resolves with a report of what it did. This list only names them: importing an app imports the
 * assembled runtime, which fails at once if a chapter is not written yet, so `main.ts` imports the one it runs when
 * it is ready to say so.
 */
export interface AppEntry {
  readonly summary: string;
  readonly defaultPort: number;
  /** The module, relative to this directory, and its serving function. */
  readonly module: string;
  readonly export: string;
}

export const APPS: Readonly<Record<string, AppEntry>> = {
  echo: { summary: "every byte a client sends comes back (try: nc 127.0.0.1 7000)", defaultPort: 7000, module: "./echo.ts", export: "serveEcho" },
  chat: { summary: "a chat room on a broadcast channel (try: nc 127.0.0.1 7001, twice)", defaultPort: 7001, module: "./chat.ts", export: "serveChat" },
  "mini-redis": { summary: "chapter 19's Redis server (try: redis-cli -p 6379 PING)", defaultPort: 6379, module: "./mini-redis.ts", export: "serveMiniRedis" },
};
