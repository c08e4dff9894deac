import type { Hold, HoldOptions } from "./types.js";

/** One hold: the calls it keeps back and whoever waits for them to arrive. */
class ActiveHold implements Hold {
  private readonly waiting: (() => void)[] = [];
  private readonly watchers: { n: number; resolve: () => void }[] = [];
  private taken = 0;
  private released = false;

  constructor(
    private readonly options: HoldOptions,
    private readonly onRelease: (hold: ActiveHold) => void,
  ) {}

  get held(): number {
    return this.waiting.length;
  }

  /** True when this hold takes a call of `operation` now. */
  takes(operation: string): boolean {
    if (this.released || !this.options.operations.includes(operation)) return false;
    return this.options.count === undefined || this.taken < this.options.count;
  }

  /** Keeps one call back; resolves when the hold is released. */
  keep(): Promise<void> {
    this.taken += 1;
    const released = new Promise<void>((resolve) => this.waiting.push(resolve));
    for (const watcher of this.watchers.filter((w) => this.taken >= w.n)) watcher.resolve();
    return released;
  }

  arrived(n = this.options.count ?? 1): Promise<void> {
    if (this.taken >= n) return Promise.resolve();
    return new Promise((resolve) => this.watchers.push({ n, resolve }));
  }

  release(): void {
    this.released = true;
    for (const resolve of this.waiting.splice(0)) resolve();
    this.onRelease(this);
  }
}

/** The holds in force: a call of a held operation waits here before its handler runs. */
export class Holds {
  private readonly active = new Set<ActiveHold>();

  /** Starts holding calls as `options` says. */
  add(options: HoldOptions): Hold {
    const hold = new ActiveHold(options, (done) => this.active.delete(done));
    this.active.add(hold);
    return hold;
  }

  /** Resolves at once, or when the hold that takes this call is released; true when held. */
  async pass(operation: string): Promise<boolean> {
    const hold = [...this.active].find((candidate) => candidate.takes(operation));
    if (hold === undefined) return false;
    await hold.keep();
    return true;
  }

  /** How many calls are held now, over every hold. */
  held(): number {
    return [...this.active].reduce((sum, hold) => sum + hold.held, 0);
  }

  /** Lets every held call through and ends every hold. */
  releaseAll(): void {
    for (const hold of [...this.active]) hold.release();
  }
}
