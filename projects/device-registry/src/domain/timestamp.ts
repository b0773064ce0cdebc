const ISO_8601_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/**
 * The timestamp in UTC (`toISOString()`, so that stored timestamps compare as strings), or
 * `undefined` when `value` is not ISO 8601 with a UTC offset.
 */
export function toUtcTimestamp(value: unknown): string | undefined {
  if (typeof value !== 'string' || !ISO_8601_WITH_OFFSET.test(value)) {
    return undefined;
  }
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}
