/**
 * Run counts of the DLQ property tests. `npm test` runs the bounded sample given here;
 * `FLEET_DLQ_PROPERTY_SCALE=10 npx jest test/dlq` runs ten times as many (the larger run
 * quoted in docs/failure-path.md).
 */
export function propertyRuns(sample: number): number {
  const scale = Number(process.env.FLEET_DLQ_PROPERTY_SCALE ?? '1');
  return Math.max(1, Math.round(sample * (Number.isFinite(scale) && scale > 0 ? scale : 1)));
}

/** Jest's timeout for a property of `sample` runs taking about `msPerRun` each, scaled like the runs. */
export function propertyTimeout(sample: number, msPerRun: number): number {
  return Math.max(60_000, propertyRuns(sample) * msPerRun * 3);
}
