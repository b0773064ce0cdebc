import { CliError } from '../errors';

/**
 * Runs one AWS call and turns the failures a user can fix into clear errors: no credentials,
 * access denied (naming the call and the permission), anything else with the service's message.
 */
export async function awsCall<T>(what: string, permission: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw explainAwsError(error, what, permission);
  }
}

export function explainAwsError(error: unknown, what: string, permission: string): Error {
  if (error instanceof CliError) return error;
  const e = error as { name?: string; Code?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const name = e.name ?? e.Code ?? '';
  const message = e.message ?? String(error);
  if (name === 'CredentialsProviderError' || /Could not load credentials|credential/i.test(name) || /Could not load credentials from any providers/.test(message)) {
    return new CliError(`${what}: no AWS credentials found (${message}). Fix: sign in to the control plane account (for example \`aws sso login --profile <profile>\` and AWS_PROFILE=<profile>), then run the command again.`);
  }
  if (/^AccessDenied/.test(name) || e.$metadata?.httpStatusCode === 403 && name !== 'ExpiredToken') {
    return new CliError(`${what}: access denied (${message}). Fix: use a role in the control plane account allowed ${permission}.`);
  }
  if (name === 'ExpiredToken' || name === 'ExpiredTokenException') {
    return new CliError(`${what}: the AWS session has expired (${message}). Fix: sign in again, for example \`aws sso login\`.`);
  }
  return new CliError(`${what} failed: ${name ? `${name}: ` : ''}${message}. Fix: correct the cause above and run the command again; the command is safe to repeat.`);
}
