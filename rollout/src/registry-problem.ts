/**
 * One problem found in the tenant registry, in the manifest's four parts (see
 * blueprints/src/errors.ts, whose format this repeats because @fleet/rollout may import only
 * @fleet/contracts): the thing at fault, what is wrong, the value found, and the fix.
 */
export interface RegistryProblem {
  /** The thing at fault as written in tenants.ts, e.g. `tenants["acme"].accountId`. */
  readonly subject: string;
  readonly problem: string;
  /** The value found (shown with JSON.stringify). Left out for a thing missing entirely. */
  readonly value?: unknown;
  readonly fix: string;
}

/** `subject: problem, got value. Fix: ...` */
export function formatRegistryProblem(p: RegistryProblem): string {
  const got = 'value' in p ? `, got ${show(p.value)}` : '';
  const fix = /[.!?]$/.test(p.fix) ? p.fix : `${p.fix}.`;
  return `${p.subject}: ${p.problem}${got}. Fix: ${fix}`;
}

function show(value: unknown): string {
  if (value === undefined) return 'undefined';
  const text = JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

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
