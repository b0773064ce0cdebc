/**
 * Property: one tenant cannot starve another. A flooding tenant and a few others share the
 * central DLQ, configured as `CentralFailurePath` configures it by default (its receive
 * limit, if any, given to the fake queue with the poison queue behind it), sometimes with a small
 * in-flight limit so that one scan cannot hold the whole queue. One other tenant is scanned
 * over and over (list, show, dry-run redrive), more often than the default receive limit
 * allowed. Then:
 * - no message of a tenant that is not the flooder leaves the central DLQ (to a poison queue or anywhere);
 * - every scan either lists every message of the victim or fails saying it could not reach them all;
 * - once the flood is drained (`purge --tenant <flooder>`, which deletes as it reads), a scan of the victim is complete again.
 */
import * as fc from 'fast-check';
import { CENTRAL_DLQ_DEFAULT_MAX_RECEIVE_COUNT } from '@fleet/contracts';
import { centralBody, DLQ_URL, FakeAws, lambdaFailureEvent, POISON_URL } from './fake-aws';
import { runDlq } from './harness';
import { propertyRuns, propertyTimeout } from './property-runs';

const account = fc.stringMatching(/^[1-9]\d{11}$/);
const id = (seq: number) => `m${String(seq).padStart(4, '0')}`;

/** The central DLQ's receive limit as `CentralFailurePath` sets it by default (workflows' tests check the template has it). */
const receiveLimit = CENTRAL_DLQ_DEFAULT_MAX_RECEIVE_COUNT;

const stats = { runs: 0, scans: 0, incompleteScans: 0, flood: 0, others: 0 };
afterAll(() => {
  process.stdout.write(`tenant starvation property: ${JSON.stringify({ ...stats, receiveLimit: receiveLimit ?? 'none' })}\n`);
});

describe('one tenant cannot starve another', () => {
  test('one tenant cannot starve another: repeated scans of one tenant under another\'s flood move no other tenant\'s message out of the central DLQ, and miss none without saying so', async () => {
    const scenario = fc.uniqueArray(account, { minLength: 3, maxLength: 4 }).chain((tenants) => fc.record({
      tenants: fc.constant(tenants),
      flood: fc.integer({ min: 30, max: 100 }),
      others: fc.array(fc.constantFrom(...tenants.slice(1)), { minLength: 3, maxLength: 12 }),
      // A queue one scan can hold whole, or one it cannot (SQS's ~120,000, scaled down).
      inFlightLimit: fc.constantFrom(120_000, 30),
    }));
    await fc.assert(fc.asyncProperty(scenario, async ({ tenants, flood, others, inFlightLimit }) => {
      const [flooder, victim] = tenants;
      const aws = new FakeAws({ dlq: { inFlightLimit, redrive: receiveLimit === undefined ? undefined : { targetUrl: POISON_URL, maxReceiveCount: receiveLimit } } });
      try {
        const owners = [...Array.from({ length: flood }, () => flooder), ...others];
        // The flood arrives first: a victim's message is among the last a scan reaches.
        owners.forEach((owner, seq) => aws.add(id(seq), centralBody(lambdaFailureEvent({ account: owner, seq }))));
        const victims = owners.map((o, seq) => (o === victim ? id(seq) : undefined)).filter((x): x is string => x !== undefined).sort();
        const notFlood = owners.map((o, seq) => (o === flooder ? undefined : id(seq))).filter((x): x is string => x !== undefined).sort();
        const Q = ['--queue-url', DLQ_URL];
        const common = { clock: aws.clock };
        const incomplete = /^fleet dlq (list|redrive|show): the scan of .* stopped after \d+ messages, before it saw every message: /;

        // Past the receive limit the construct had by default before (100), and a margin; a queue
        // one scan cannot hold fails every scan the same way, so a dozen show it.
        const scans = inFlightLimit < owners.length ? 12 : 105;
        for (let scan = 0; scan < scans; scan++) {
          const kind = scan % 3;
          const result = kind === 0
            ? await runDlq(['list', '--tenant', victim, '--json', '--max', '100000', ...Q], common)
            : kind === 1
              ? await runDlq(['redrive', '--tenant', victim, '--dry-run', '--max', '100000', ...Q], common)
              : await runDlq(['show', victims[victims.length - 1] ?? id(0), ...Q], common);
          stats.scans++;
          if (result.error) {
            expect(result.error.message).toMatch(incomplete);
            stats.incompleteScans++;
          } else if (kind === 0) {
            expect(JSON.parse(result.output).map((m: { messageId: string }) => m.messageId).sort()).toEqual(victims);
          } else if (kind === 1) {
            expect(result.output.split('\n').filter((l) => l.startsWith('would-redeliver')).length).toBe(victims.length);
          }
        }
        // No message but the flooder's left the central DLQ; the poison queue holds none of theirs.
        expect(aws.ids(DLQ_URL).filter((m) => notFlood.includes(m))).toEqual(notFlood);
        expect(aws.ids(POISON_URL).filter((m) => notFlood.includes(m))).toEqual([]);

        // Draining the flood (purge deletes as it reads) brings every victim message within reach.
        const purged = await runDlq(['purge', '--tenant', flooder, '--yes', '--max', '100000', ...Q], common);
        expect(purged.error).toBeUndefined();
        const after = await runDlq(['list', '--tenant', victim, '--json', '--max', '100000', ...Q], common);
        expect(after.error).toBeUndefined();
        expect(JSON.parse(after.output).map((m: { messageId: string }) => m.messageId).sort()).toEqual(victims);
        expect(aws.ids(DLQ_URL)).toEqual(notFlood);
        stats.runs++;
        stats.flood += flood;
        stats.others += others.length;
      } finally {
        aws.restore();
      }
    }), { numRuns: propertyRuns(4) });
  }, propertyTimeout(4, 8_000));
});
