/**
 * An error the user can fix: printed as its message alone (no stack), exit code 1 unless said.
 * Messages name the thing, show the bad value and say the fix, like the manifest errors.
 */
export class CliError extends Error {
  constructor(message: string, public readonly exitCode = 1) {
    super(message);
    this.name = new.target.name;
  }
}

/**
 * The SDK's default credential chain found nothing (error name `CredentialsProviderError`, raised
 * by the first AWS call): the message a command that reached AWS prints instead of a stack trace.
 */
export function missingCredentialsError(error: unknown): CliError | undefined {
  if ((error as Error)?.name !== 'CredentialsProviderError') return undefined;
  return new CliError(`fleet: no AWS credentials found (${(error as Error).message}). Fix: sign in to the account the command works on, e.g. aws sso login --profile <name> and export AWS_PROFILE=<name>, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.`);
}
