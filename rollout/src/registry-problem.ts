import { formatProblem, Problem } from '@fleet/contracts';

/** One problem found in the tenant registry, in the fleet's one problem format (@fleet/contracts). */
export type RegistryProblem = Problem;

/** `subject: problem, got value. Fix: ...` */
export const formatRegistryProblem = formatProblem;

/**
 * The tenant registry is invalid: every problem at once, so one round fixes them all. Raised
 * before anything is built, uploaded or started: nothing deploys from an invalid registry.
 */
export class TenantRegistryError extends Error {
  constructor(public readonly problems: readonly RegistryProblem[], source = 'The tenant registry (tenants.ts)') {
    super(
      [
        `${source} has ${problems.length} problem${problems.length === 1 ? '' : 's'}; nothing was written or deployed:`,
        ...problems.map((p, i) => `  ${i + 1}. ${formatRegistryProblem(p)}`),
      ].join('\n'),
    );
    this.name = new.target.name;
  }
}
