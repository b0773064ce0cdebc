import { ManifestProblem, ProblemCollector } from '@fleet/blueprints';

/**
 * Options of the `__NAME__` blueprint, as the fleet manifest writes them. Plain JSON: they are
 * written verbatim into each service's own `.projenrc.ts`. Document every optional one with `@default`.
 */
export interface __CLASS__Options {
  /** The service name, kebab-case: the folder, the package and the stack name. */
  readonly name: string;
  /**
   * One sentence for the README, package.json and the stack.
   * @default - "A scheduled job."
   */
  readonly description?: string;
}

const KEYS = ['name', 'description'];

/** Every problem with the options (never throws), each naming the option, the value and the fix. */
export function validate__CLASS__Options(options: unknown, subject: string): ManifestProblem[] {
  const check = new ProblemCollector();
  if (!check.isObject(subject, options, 'declare the service as an object with "name"')) return check.problems;
  check.knownKeys(subject, options, [...KEYS, 'blueprint']);
  check.text(`${subject}.description`, options.description, { required: false, fix: 'write one sentence, or leave it out', maxLength: 256 });
  return check.problems;
}

/** Hours between two runs of the job. */
export function everyHoursOf(_options: __CLASS__Options): number {
  return 24;
}
