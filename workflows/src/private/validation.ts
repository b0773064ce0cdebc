import { Duration, Token } from 'aws-cdk-lib';
import { optionError } from './errors';

/** `o-` then 10 to 32 lowercase letters or digits (AWS Organizations). */
export const ORGANIZATION_ID_PATTERN = /^o-[a-z0-9]{10,32}$/;

/**
 * Checks an `organizationId` option. `optional`: it may be left out (the fix says so);
 * `tokens`: an unresolved token passes (a construct that only places it in a policy condition).
 * Constructs that write the id into text (state machine definitions, nag reasons) allow neither.
 */
export function checkOrganizationId(path: string, value: unknown, allow: { readonly optional?: boolean; readonly tokens?: boolean } = {}): void {
  if (value === undefined && allow.optional) return;
  if (allow.tokens && Token.isUnresolved(value)) return;
  if (typeof value !== 'string' || !ORGANIZATION_ID_PATTERN.test(value)) {
    throw optionError(path, 'organizationId', 'must be an AWS Organizations id ("o-" then 10 to 32 lowercase letters or digits)', value,
      `Copy it from \`aws organizations describe-organization --query Organization.Id\`${allow.optional ? ', or leave it out' : ''}`);
  }
}

/**
 * Checks that an integer option lies in [min, max]; tokens are left to CloudFormation.
 */
export function checkIntegerRange(path: string, option: string, value: number | undefined, min: number, max: number, why: string): void {
  if (value === undefined || Token.isUnresolved(value)) return;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw optionError(path, option, `must be an integer between ${min} and ${max}`, value, `Pass a value from ${min} to ${max} (${why})`);
  }
}

/**
 * Checks that a Duration option lies in [minSeconds, maxSeconds] and is a whole number of seconds.
 */
export function checkDurationRange(path: string, option: string, value: Duration | undefined, minSeconds: number, maxSeconds: number, why: string): void {
  if (value === undefined || value.isUnresolved()) return;
  const seconds = value.toMilliseconds() / 1000;
  if (!Number.isInteger(seconds) || seconds < minSeconds || seconds > maxSeconds) {
    throw optionError(path, option, `must be a whole number of seconds between ${minSeconds} and ${maxSeconds}`, value.toHumanString(),
      `Pass a Duration from ${Duration.seconds(minSeconds).toHumanString()} to ${Duration.seconds(maxSeconds).toHumanString()} (${why})`);
  }
}
