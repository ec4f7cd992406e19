/** PLACEHOLDER (to be replaced by the chapter 14 author): a blocking pool that starts no threads yet. */
export interface BlockingPoolOptions {
  threadCap: number;
  keepAliveMs: number;
}

export class BlockingPool {
  constructor(readonly options: BlockingPoolOptions) {}

  async shutdown(_timeoutMs?: number): Promise<void> {}
}
