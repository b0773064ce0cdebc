import { IConstruct } from 'constructs';

/**
 * Builds the one error shape every construct of this library throws:
 *
 *   `${constructPath}: <option> <problem>, got <JSON value>. <Fix sentence>.`
 *
 * The construct path tells which of many similar constructs is wrong, the option and the
 * value tell what is wrong, and the fix says what to do, so nobody has to read our source.
 *
 * @param scope the construct being configured, or its path when the construct does not exist yet
 * @param option the name of the prop, as the user wrote it (for example `retryAttempts`)
 * @param problem what is wrong with it, starting with a verb (for example `must be between 0 and 2`)
 * @param value the value received, rendered with JSON.stringify
 * @param fix one sentence saying how to fix it (a final period is added when missing)
 */
export function optionError(scope: IConstruct | string, option: string, problem: string, value: unknown, fix: string): Error {
  const path = typeof scope === 'string' ? scope : scope.node.path;
  const sentence = fix.endsWith('.') ? fix : `${fix}.`;
  const error = new Error(`${path}: ${option} ${problem}, got ${JSON.stringify(value)}. ${sentence}`);
  error.name = 'FleetValidationError';
  return error;
}

/** The path a construct `id` will have under `scope`, for errors raised before `super()`. */
export function childPath(scope: IConstruct, id: string): string {
  return scope.node.path ? `${scope.node.path}/${id}` : id;
}
