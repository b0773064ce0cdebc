import { formatProblem, Problem } from '@fleet/contracts';

/**
 * A rollout model (lower bound, StackSets model, chart) was given bad input: every problem at
 * once, in the fleet's one problem format (`subject: problem, got value. Fix: ...`).
 */
export class SimulationInputError extends Error {
  constructor(public readonly problems: readonly Problem[], source: string) {
    super(
      [
        `${source} has ${problems.length} problem${problems.length === 1 ? '' : 's'}; nothing was computed:`,
        ...problems.map((p, i) => `  ${i + 1}. ${formatProblem(p)}`),
      ].join('\n'),
    );
    this.name = new.target.name;
  }
}

/** Throws a {@link SimulationInputError} when `problems` is not empty. */
export function throwIfProblems(problems: readonly Problem[], source: string): void {
  if (problems.length > 0) throw new SimulationInputError(problems, source);
}

/** True when `v` is an integer of at least `min`. */
export function isIntegerAtLeast(v: unknown, min: number): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= min;
}
