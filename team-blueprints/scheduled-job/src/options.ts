import { ManifestProblem, ProblemCollector } from '@fleet/blueprints';

/** How a step may use the job's DynamoDB table (least privilege: grant only this). */
export type TableAccess = 'none' | 'read' | 'write' | 'read-write';

/** One step of the job: a Lambda function whose handler lives in the team-owned `src/functions/<name>.ts`. */
export interface ScheduledJobFunction {
  /**
   * One sentence: what the step does (the function's description).
   * @default - "Step <n> of <job>."
   */
  readonly description?: string;
  /**
   * What the function may do with the job's table.
   * @default 'none'
   */
  readonly tableAccess?: TableAccess;
  /**
   * Timeout of one invocation, 1-900 seconds.
   * @default 10
   */
  readonly timeoutSeconds?: number;
  /**
   * Memory of the function, 128-10240 MB.
   * @default 256
   */
  readonly memoryMb?: number;
}

/**
 * Options of the `scheduled-job` blueprint, as the fleet manifest writes them. Plain JSON, so
 * they are written verbatim into the service's own `.projenrc.ts`.
 */
export interface ScheduledJobOptions {
  /** The service name, kebab-case; the folder, the package and the stack name. */
  readonly name: string;
  /**
   * One sentence for the README, package.json and the stack.
   * @default - "A scheduled job."
   */
  readonly description?: string;
  /**
   * Hours between runs: 1, 2, 3, 4, 6, 8, 12 or 24 (a divisor of a day, so every tenant
   * account keeps its own minute of the hour).
   * @default 24 (once a day)
   */
  readonly everyHours?: number;
  /**
   * Jitter on top of the account's offset minute: EventBridge Scheduler starts the run at a
   * random moment within this many minutes (1-60, and shorter than `everyHours`).
   * @default 15
   */
  readonly flexibleWindowMinutes?: number;
  /** The job's steps by name (kebab-case), run in this order by the workflow: one to three. */
  readonly functions: Record<string, ScheduledJobFunction>;
}

/** The hour intervals `JitteredSchedule` accepts. */
export const EVERY_HOURS = [1, 2, 3, 4, 6, 8, 12, 24] as const;
/** More steps than this is a service, not a job: use the step-functions-service blueprint. */
export const MAX_FUNCTIONS = 3;
const KEYS = ['name', 'description', 'everyHours', 'flexibleWindowMinutes', 'functions'];
const FUNCTION_KEYS = ['description', 'tableAccess', 'timeoutSeconds', 'memoryMb'];
const TABLE_ACCESS: readonly TableAccess[] = ['none', 'read', 'write', 'read-write'];

/** Every problem with the options of a scheduled job, each naming the option, the value and the fix. */
export function validateScheduledJobOptions(options: unknown, subject: string): ManifestProblem[] {
  const check = new ProblemCollector();
  if (!check.isObject(subject, options, 'declare the job as an object with "name" and "functions"')) return check.problems;
  check.knownKeys(subject, options, [...KEYS, 'blueprint']);
  check.text(`${subject}.description`, options.description, { required: false, fix: 'write one sentence, or leave it out', maxLength: 256 });

  const every = options.everyHours;
  if (every !== undefined && !EVERY_HOURS.includes(every as (typeof EVERY_HOURS)[number])) {
    check.add({
      subject: `${subject}.everyHours`,
      problem: `must be one of ${EVERY_HOURS.join(', ')} (hours that divide a day)`,
      value: every,
      fix: 'pick the nearest of those, or leave it out for once a day',
    });
  }
  check.optionalInteger(`${subject}.flexibleWindowMinutes`, options.flexibleWindowMinutes, 1, 60, 'minutes');
  if (every === 1 && options.flexibleWindowMinutes === 60) {
    check.add({
      subject: `${subject}.flexibleWindowMinutes`,
      problem: 'must be shorter than the interval (everyHours: 1)',
      value: 60,
      fix: 'use at most 59, or run less often',
    });
  }

  const functions = options.functions;
  if (functions === undefined) {
    check.add({ subject: `${subject}.functions`, problem: 'is required', fix: 'add the job\'s steps, e.g. functions: { "export-items": { tableAccess: "read" } }' });
  } else if (check.isObject(`${subject}.functions`, functions, 'map step names to their options, e.g. { "export-items": {} }')) {
    const count = Object.keys(functions).length;
    if (count < 1 || count > MAX_FUNCTIONS) {
      check.add({
        subject: `${subject}.functions`,
        problem: `must have one to ${MAX_FUNCTIONS} steps, has ${count}`,
        value: Object.keys(functions),
        fix: count < 1 ? 'add a step, e.g. "export-items": {}' : 'merge steps, or use the step-functions-service blueprint for a larger workflow',
      });
    }
    for (const [name, fn] of Object.entries(functions)) {
      const at = `${subject}.functions["${name}"]`;
      check.kebabName(at, name, { min: 3, max: 40 });
      if (!check.isObject(at, fn, 'declare the step as an object, e.g. {} or { tableAccess: "write" }')) continue;
      check.knownKeys(at, fn, FUNCTION_KEYS);
      check.text(`${at}.description`, fn.description, { required: false, fix: 'write one sentence, or leave it out', maxLength: 256 });
      check.oneOf(`${at}.tableAccess`, fn.tableAccess, TABLE_ACCESS);
      check.optionalInteger(`${at}.timeoutSeconds`, fn.timeoutSeconds, 1, 900, 'seconds');
      check.optionalInteger(`${at}.memoryMb`, fn.memoryMb, 128, 10_240, 'MB');
    }
  }
  return check.problems;
}
