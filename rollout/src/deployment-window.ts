/** Days of the week, in `Date.getUTCDay()` order. */
export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/**
 * When a tenant accepts deployments: on the listed days, from `startHourUtc` (inclusive) to
 * `endHourUtc` (exclusive), UTC. Windows do not wrap past midnight: a night window is two entries
 * in a tenant's `windows` list.
 */
export interface DeploymentWindow {
  readonly days: readonly Weekday[];
  /** 0-23. */
  readonly startHourUtc: number;
  /** 1-24, later than startHourUtc. */
  readonly endHourUtc: number;
}

/** Whether `at` falls inside any of `windows`; no windows means always open. */
export function isWindowOpen(windows: readonly DeploymentWindow[] | undefined, at: Date): boolean {
  if (windows === undefined || windows.length === 0) return true;
  const day = WEEKDAYS[at.getUTCDay()];
  const hour = at.getUTCHours();
  return windows.some((w) => w.days.includes(day) && hour >= w.startHourUtc && hour < w.endHourUtc);
}
