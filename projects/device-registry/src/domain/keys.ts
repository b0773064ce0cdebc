/**
 * Item keys of the device-registry table (single-table design, `pk` / `sk` strings).
 *
 * | item | pk | sk |
 * |---|---|---|
 * | device profile (registration, current worker, last heartbeat) | `DEVICE#<serialNumber>` | `PROFILE` |
 * | assignment to a worker (history) | `DEVICE#<serialNumber>` | `ASSIGNMENT#<startedAt>` |
 *
 * One partition per device: its profile and its assignment history sorted by time.
 */
export interface ItemKey {
  readonly pk: string;
  readonly sk: string;
}

export function deviceProfileKey(serialNumber: string): ItemKey {
  return { pk: `DEVICE#${serialNumber}`, sk: 'PROFILE' };
}

export function assignmentKey(serialNumber: string, startedAt: string): ItemKey {
  return { pk: `DEVICE#${serialNumber}`, sk: `ASSIGNMENT#${startedAt}` };
}
