import { Duration, Token } from 'aws-cdk-lib';
import { optionError } from './errors';

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
