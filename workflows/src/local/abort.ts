/**
 * Stopping sibling branches of a Parallel or Map state once one fails. Its own module, not
 * execution.ts: the states and the task invoker throw `Aborted`, and execution.ts runs them, so
 * keeping it there made an import cycle (test/import-cycles.test.ts).
 */

/** Thrown inside branches that must stop because a sibling failed. */
export class Aborted extends Error {
  constructor() {
    super('aborted');
  }
}

export class AbortToken {
  private aborted = false;
  constructor(private readonly parent?: AbortToken) {}
  abort(): void {
    this.aborted = true;
  }
  get isAborted(): boolean {
    return this.aborted || (this.parent?.isAborted ?? false);
  }
}
