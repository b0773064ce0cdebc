import { auditJsonataFastPath, FastPathSample, hasJsonataFastPath } from '@fleet/workflows/testing';
import { FleetSimulation } from '../src';
import { synthesizeRolloutEngine } from '../src/rollout-engine-definition';
import { SIMULATED_CENTRAL_ACCOUNT, SIMULATED_ORGANIZATION, SIMULATED_REGION } from '../src/synthetic-fleet';
import { SIMULATED_STATUS_TABLE } from '../src/fleet-simulation';

/**
 * The rollout engine's JSONata runs on the runtime's fast path (jsonata-fast-path.ts), not on
 * jsonata's evaluator: 120,000 deployment children evaluate about 60 expressions each. These
 * tests list every expression of the synthesized definition, and compare each answer the fast
 * path gives during a simulated rollout with jsonata's on the same bindings.
 */

jest.setTimeout(300_000);

const TEMPLATE = /^\{%([\s\S]*)%\}$/;

function expressionsOf(value: unknown, out = new Set<string>()): Set<string> {
  if (typeof value === 'string') {
    const m = TEMPLATE.exec(value);
    if (m) out.add(m[1].trim());
  } else if (Array.isArray(value)) for (const v of value) expressionsOf(v, out);
  else if (value !== null && typeof value === 'object') for (const v of Object.values(value)) expressionsOf(v, out);
  return out;
}

const engine = synthesizeRolloutEngine(SIMULATED_ORGANIZATION, {}, { region: SIMULATED_REGION, centralAccountId: SIMULATED_CENTRAL_ACCOUNT, tableName: SIMULATED_STATUS_TABLE });
const states = engine.definition.States as Record<string, { Type: string; ItemProcessor?: { States: Record<string, unknown> } }>;
const [deployWave] = Object.values(states).filter((s) => s.Type === 'Map' && s.ItemProcessor);
const childExpressions = [...expressionsOf(deployWave.ItemProcessor!.States)];
const topLevelExpressions = [...expressionsOf(Object.fromEntries(Object.entries(states).filter(([, s]) => s !== deployWave)))];

/**
 * Evaluated once per wave or gate (16 times in a 6,000-tenant rollout), so jsonata evaluates them:
 * a block with a binding, `$formatNumber`, filters reading the context item, `$sum`, `$join`,
 * `$distinct`, `$fromMillis`/`$toMillis`, `$floor`.
 */
const TOP_LEVEL_ON_JSONATA = 8;

describe('the rollout engine on the JSONata fast path', () => {
  test('GIVEN the synthesized engine WHEN its expressions are compiled THEN every expression of the deployment child has a fast path, and all but the per-wave few of the top level', () => {
    expect(childExpressions.length).toBeGreaterThan(40);
    expect(childExpressions.filter((source) => !hasJsonataFastPath(source))).toEqual([]);
    expect(topLevelExpressions.filter((source) => !hasJsonataFastPath(source))).toHaveLength(TOP_LEVEL_ON_JSONATA);
  });

  test('GIVEN simulated rollouts (throttling, a second run, a rolled-back canary, a crash and its resume) WHEN every fast-path answer is also evaluated by jsonata THEN both agree on every one', async () => {
    const samples: FastPathSample[] = [];
    auditJsonataFastPath((sample) => samples.push(sample));
    const fleet = { tenants: 30, services: 2, dependencyLevels: 1, bakeMinutes: 0, seed: 5, engine: { throttleAttempts: 20 } };
    try {
      // Two services per account sharing 0.3 calls/s: children throttle and back off; a second run skips every tenant.
      const storm = new FleetSimulation({ ...fleet, cloudFormationLimit: { refillPerSecond: 0.3, burst: 1 } });
      const first = await storm.run();
      expect(first.counts.throttledCalls).toBeGreaterThan(0);
      expect((await storm.run()).counts.skipped).toBe(60);
      // The canary's stack rolls back: the rollout stops there.
      const rollback = await new FleetSimulation({ ...fleet, canaryTenants: 1, failingTenants: [0] }).run();
      expect(rollback.counts.failed).toBeGreaterThan(0);
      // A crash mid-rollout, then a new execution over the same plan.
      const crash = new FleetSimulation({ ...fleet, crashAtSeconds: 150 });
      expect((await crash.run()).crashed).toBe(true);
      expect((await crash.run()).status).toBe('SUCCEEDED');
    } finally {
      auditJsonataFastPath(undefined);
    }
    const mismatches: string[] = [];
    for (const sample of samples) {
      // JSON form: jsonata marks its arrays (sequence flags), which JSON drops as the runtime's output does.
      const expected = JSON.stringify(await sample.expression.evaluate(undefined, sample.bindings));
      const answer = JSON.stringify(sample.answer);
      if (expected !== answer && mismatches.length < 10) mismatches.push(`${sample.source}: fast ${answer}, jsonata ${expected}`);
    }
    expect(mismatches).toEqual([]);
    // The answers cover the deployment's expressions on the paths these runs took.
    const answered = new Set(samples.map((s) => s.source));
    expect(childExpressions.filter((source) => answered.has(source)).length).toBeGreaterThan(40);
  });
});
