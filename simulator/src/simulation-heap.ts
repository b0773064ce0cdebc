/**
 * The old-space limit a simulation of `deployments` runs under. The live heap after a run is
 * small (about 3.6 KB per deployment at 600 x 20) and a wave holds at most 10,000 children in
 * flight, so an uncapped V8 on a big machine lets garbage pile up to over 2 GiB at 6,000 x 20,
 * while capped at 1.5 GiB the same run peaks at 1.29 GiB for 1% more CPU (docs/benchmarks.md,
 * bench:rollout). The cap grows with the fleet (6 KiB per deployment over a 768 MiB floor), so
 * the largest run the flags allow (250,000 deployments) still has room.
 */
export function simulationHeapLimitMiB(deployments: number): number {
  return Math.ceil(768 + (deployments * 6) / 1024);
}
