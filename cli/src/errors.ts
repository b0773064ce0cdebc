import { formatProblemList, Problem } from '@fleet/contracts';

/**
 * An error the user can fix: printed as its message alone (no stack), exit code 1 unless said.
 * Built from `Problem`s, the fleet's one error format (`@fleet/contracts`): each message names
 * the thing at fault, says what is wrong, shows the value found and says the fix
 * ("subject: problem, got value. Fix: ..."); several problems are listed at once, numbered.
 */
export class CliError extends Error {
  /** What is wrong, one entry per problem (empty for an error built from a finished message). */
  public readonly problems: readonly Problem[];

  /**
   * @param problems one problem, or every problem found
   * @param exitCode the process exit code
   */
  constructor(problems: Problem | readonly Problem[], exitCode?: number);
  /**
   * A message already in the fleet's format, e.g. the message of a `FleetError` of
   * `@fleet/blueprints`, or of a problem list formatted elsewhere. New messages: pass `Problem`s.
   * @deprecated write a `Problem` instead; kept for messages other packages formatted.
   */
  constructor(message: string, exitCode?: number);
  constructor(problems: Problem | readonly Problem[] | string, public readonly exitCode = 1) {
    const list = typeof problems === 'string' ? [] : Array.isArray(problems) ? (problems as readonly Problem[]) : [problems as Problem];
    super(typeof problems === 'string' ? problems : formatProblemList(list));
    this.problems = list;
    this.name = new.target.name;
  }

  /**
   * An error another package raised with a message already in the fleet's format (a `FleetError`
   * of `@fleet/blueprints`: a numbered problem list), said of `subject` (e.g. the service).
   */
  public static wrap(subject: string, error: Error, exitCode = 1): CliError {
    return new CliError(`${subject}: ${error.message}`, exitCode);
  }
}

/**
 * The SDK's default credential chain found nothing (error name `CredentialsProviderError`, raised
 * by the first AWS call): the message a command that reached AWS prints instead of a stack trace.
 */
export function missingCredentialsError(error: unknown): CliError | undefined {
  if ((error as Error)?.name !== 'CredentialsProviderError') return undefined;
  return new CliError({
    subject: 'fleet',
    problem: 'found no AWS credentials',
    value: (error as Error).message,
    fix: 'sign in to the account the command works on, e.g. aws sso login --profile <name> and export AWS_PROFILE=<name>, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY',
  });
}
