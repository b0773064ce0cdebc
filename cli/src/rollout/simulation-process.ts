import { spawnSync } from 'child_process';
import * as path from 'path';
import { getHeapStatistics } from 'v8';

/** Set in the re-executed process so it runs the simulation instead of starting another. */
const CAPPED_ENV = 'FLEET_SIMULATION_HEAP_CAPPED';
const FLEET_BIN = path.resolve(__dirname, '..', '..', 'bin', 'fleet.js');

/**
 * Runs this same `fleet` command again in a Node process whose old space is capped at
 * `limitMiB` (see `simulationHeapLimitMiB`: V8's default on a big machine lets a fleet-scale
 * simulation's garbage pile up past 2 GiB), and returns its exit code; or undefined when the run
 * should go on here: the process is already capped at or below the limit, was started by the
 * re-execution, or is not the `fleet` bin (a test driving the command in-process).
 */
export function rerunWithHeapLimit(limitMiB: number): number | undefined {
  if (process.env[CAPPED_ENV] === '1') return undefined;
  if (require.main?.filename !== FLEET_BIN) return undefined;
  if (getHeapStatistics().heap_size_limit / 2 ** 20 <= limitMiB) return undefined;
  const child = spawnSync(process.execPath, [...process.execArgv, `--max-old-space-size=${limitMiB}`, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, [CAPPED_ENV]: '1' },
  });
  if (child.error) throw child.error;
  return child.status ?? 1;
}
