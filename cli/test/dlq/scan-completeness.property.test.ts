/**
 * Property: a scan (`fleet dlq list --tenant`, `redrive --tenant`) ends with every message of
 * the tenant seen, under the queue behaviour SQS has: batches of at most 10, sampled in no
 * order; empty answers while messages wait (short polling samples servers); messages whose
 * visibility ends mid-scan and are received again (slow calls on the clock), each time with a
 * new receipt handle and a higher receive count (lost visibility extensions, and a redrive
 * whose --rate sleeps longer than the visibility timeout between deliveries).
 */
import * as fc from 'fast-check';
import { centralBody, DLQ_URL, FakeAws, lambdaFailureEvent } from './fake-aws';
import { seededRandom } from './fake-sqs';
import { runDlq } from './harness';
import { propertyRuns, propertyTimeout } from './property-runs';

const account = fc.stringMatching(/^[1-9]\d{11}$/);

const scenario = fc.uniqueArray(account, { minLength: 2, maxLength: 5 }).chain((tenants) => fc.record({
  tenants: fc.constant(tenants),
  owners: fc.array(fc.constantFrom(...tenants), { minLength: 20, maxLength: 300 }),
  seed: fc.integer(),
  emptyChance: fc.constantFrom(0, 0.2, 0.5, 0.8),
  maxSpuriousEmpties: fc.integer({ min: 0, max: 4 }),
  latencyMs: fc.constantFrom(0, 20, 200, 2_000),
  visibilityChangeFailChance: fc.constantFrom(0, 0.1, 0.3),
  // 0.01 per second: 100 s between deliveries, past the 60 s visibility: held messages come back.
  rate: fc.constantFrom('1000', '0.01'),
}));

const stats = { runs: 0, messages: 0, receives: 0, emptyReceives: 0, reReceives: 0 };
afterAll(() => {
  process.stdout.write(`scan completeness property: ${JSON.stringify(stats)}\n`);
});

describe('a scan of one tenant ends with every message of that tenant seen', () => {
  test('a scan sees every message of the tenant once: under sampled batches, empty receives and re-receives, list --tenant lists all of them and redrive --tenant redelivers each exactly once', async () => {
    await fc.assert(fc.asyncProperty(scenario, async ({ tenants, owners, seed, emptyChance, maxSpuriousEmpties, latencyMs, visibilityChangeFailChance, rate }) => {
      const aws = new FakeAws({ sqs: { sample: true, emptyChance, maxSpuriousEmpties, latencyMs, visibilityChangeFailChance, random: seededRandom(seed) } });
      try {
        owners.forEach((owner, seq) => aws.add(`m${String(seq).padStart(4, '0')}`, centralBody(lambdaFailureEvent({ account: owner, seq }))));
        const target = tenants[Math.abs(seed) % tenants.length];
        const mine = owners.map((owner, seq) => (owner === target ? `m${String(seq).padStart(4, '0')}` : undefined)).filter((id): id is string => id !== undefined).sort();
        const common = { clock: aws.clock };

        const listed = await runDlq(['list', '--tenant', target, '--json', '--max', '100000', '--queue-url', DLQ_URL], common);
        expect(listed.error).toBeUndefined();
        expect(JSON.parse(listed.output).map((m: { messageId: string }) => m.messageId).sort()).toEqual(mine);
        // Reading changed nothing: every message is visible to the next reader at once, or (its
        // release lost) when the 60 s visibility timeout ends.
        expect(aws.ids(DLQ_URL)).toHaveLength(owners.length);
        if (visibilityChangeFailChance === 0) expect(aws.ids(DLQ_URL).every((id) => aws.isVisible(DLQ_URL, id))).toBe(true);
        aws.clock.time += 60_000;
        expect(aws.ids(DLQ_URL).every((id) => aws.isVisible(DLQ_URL, id))).toBe(true);

        const redriven = await runDlq(['redrive', '--tenant', target, '--rate', rate, '--max', '100000', '--queue-url', DLQ_URL], common);
        expect(redriven.error).toBeUndefined();
        const delivered = aws.deliveries.map((d) => `m${String(JSON.parse((d as { payload: string }).payload).detail.seq).padStart(4, '0')}`).sort();
        expect(delivered).toEqual(mine);
        expect(aws.ids(DLQ_URL)).toEqual(aws.ids(DLQ_URL).filter((id) => !mine.includes(id)));
        expect(aws.ids(DLQ_URL)).toHaveLength(owners.length - mine.length);

        stats.runs++;
        stats.messages += owners.length;
        stats.receives += aws.sqsModel.receives;
        stats.emptyReceives += aws.sqsModel.emptyReceives;
        // Receives beyond the first of each message: the second scan's, and the re-receives.
        stats.reReceives += [...aws.queue(DLQ_URL).values()].reduce((n, m) => n + Math.max(0, m.receiveCount - 2), 0);
      } finally {
        aws.restore();
      }
    }), { numRuns: propertyRuns(40) });
  }, propertyTimeout(40, 300));
});
