/**
 * One problem in something a user wrote (the fleet manifest, a blueprint's options, the tenant
 * registry), in the four parts every message of the fleet has: the thing at fault, what is
 * wrong, the value found, and the fix. Defined once here so every package words them alike.
 */
export interface Problem {
  /** The thing at fault, written as it appears in the user's file, e.g. `services["scan-ingest"].functions`. */
  readonly subject: string;
  /** What is wrong, e.g. "must name at least one function". */
  readonly problem: string;
  /** The value found (shown with JSON.stringify). Leave out for a thing that is missing entirely. */
  readonly value?: unknown;
  /** One sentence that says how to fix it. */
  readonly fix: string;
}

/** Renders one problem as `subject: problem, got value. Fix: ...` */
export function formatProblem(p: Problem): string {
  const got = 'value' in p ? `, got ${showValue(p.value)}` : '';
  const fix = /[.!?]$/.test(p.fix) ? p.fix : `${p.fix}.`;
  return `${p.subject}: ${p.problem}${got}. Fix: ${fix}`;
}

function showValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  const text = JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/**
 * Several problems under one heading, one numbered line each (every problem at once):
 * `<heading> has 2 problems<suffix>:\n  1. ...\n  2. ...`; one problem alone is its line.
 */
export function formatProblemList(problems: readonly Problem[], heading?: string, suffix = ''): string {
  if (problems.length === 1 && heading === undefined) return formatProblem(problems[0]);
  const count = `${problems.length} problem${problems.length === 1 ? '' : 's'}`;
  return [`${heading === undefined ? count : `${heading} has ${count}`}${suffix}:`, ...problems.map((p, i) => `  ${i + 1}. ${formatProblem(p)}`)].join('\n');
}
