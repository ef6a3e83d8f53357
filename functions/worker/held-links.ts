import type { LinkRunner } from './link-runner';

/**
 * The links a worker holds (its runners, by link id), and when it last took one: every way a link
 * becomes ours (a claim, a registration, a hand-off taken) adds its runner here. Rebalancing reads
 * the time: while a worker is still taking links, the fleet's numbers are moving.
 */
export class HeldLinks extends Map<string, LinkRunner> {
  private lastTaken: number | undefined;

  constructor(private readonly now: () => number) {
    super();
  }

  override set(linkId: string, runner: LinkRunner): this {
    this.lastTaken = this.now();
    return super.set(linkId, runner);
  }

  /** When a link last became ours here (the worker's clock), if one ever did. */
  get lastTakenAt(): number | undefined {
    return this.lastTaken;
  }
}
