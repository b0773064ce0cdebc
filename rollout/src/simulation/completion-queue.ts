/**
 * A binary min-heap of completions, each an integer id, keyed by (time, then insertion order) so
 * equal times come out in the order they were pushed and a model run is the same on every
 * machine. Kept in parallel number arrays: a model pushes one entry per stack update (120,000 for
 * 6,000 x 20), and an object per entry made garbage collection the largest cost.
 */
export class CompletionQueue {
  private readonly times: number[] = [];
  private readonly orders: number[] = [];
  private readonly ids: number[] = [];
  private pushed = 0;

  get size(): number {
    return this.ids.length;
  }

  push(time: number, id: number): void {
    const { times, orders, ids } = this;
    const order = this.pushed++;
    let i = ids.length;
    times.push(time);
    orders.push(order);
    ids.push(id);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!(time < times[parent] || (time === times[parent] && order < orders[parent]))) break;
      times[i] = times[parent];
      orders[i] = orders[parent];
      ids[i] = ids[parent];
      i = parent;
    }
    times[i] = time;
    orders[i] = order;
    ids[i] = id;
  }

  /** The earliest completion's time (the queue must not be empty). */
  peekTime(): number {
    return this.times[0];
  }

  /** Removes the earliest completion and returns its id (the queue must not be empty). */
  pop(): number {
    const { times, orders, ids } = this;
    const top = ids[0];
    const time = times.pop()!;
    const order = orders.pop()!;
    const id = ids.pop()!;
    const n = ids.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const c = r < n && (times[r] < times[l] || (times[r] === times[l] && orders[r] < orders[l])) ? r : l;
        if (!(times[c] < time || (times[c] === time && orders[c] < order))) break;
        times[i] = times[c];
        orders[i] = orders[c];
        ids[i] = ids[c];
        i = c;
      }
      times[i] = time;
      orders[i] = order;
      ids[i] = id;
    }
    return top;
  }
}
