/** Runs async tasks one at a time, in order: a link's events never interleave. */
export class Serial {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const next = this.tail.then(task, task);
    // The tail keeps only the ordering, not the result: a link's last applied record would
    // otherwise stay on the heap until its next event, for every link the worker holds.
    this.tail = next.then(noop, noop);
    return next;
  }
}

const noop = (): undefined => undefined;
