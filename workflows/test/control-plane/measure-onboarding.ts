/**
 * Onboarding at scale in the simulator: N requests (default 500) in one batch through the
 * synthesized onboarding definition, with the default Organizations limits (5 creations at
 * once, creation 2-5 min) and a daily cap above N. Prints time to ready per tenant (median, p95,
 * max virtual minutes), throughput per hour, and the wall time of the simulation.
 *
 *   npm run bench:onboarding              # 500 requests
 *   npx tsx workflows/test/control-plane/measure-onboarding.ts 100 --max-concurrent 20 --poll-seconds 10
 *
 * `parts` says what the time to ready is made of (slot wait, creation, move, baseline, services).
 */
import { closeEmbeddedDynamoDb, embeddedDynamoDb } from '../../src/testing';
import { harnessClient, measureOnboarding, resetTables, simulation, synthesizeOnboarding } from './onboarding-harness';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const n = Number(args.find((a) => /^\d+$/.test(a)) ?? 500);
  const option = (name: string) => (args.indexOf(name) >= 0 ? Number(args[args.indexOf(name) + 1]) : undefined);
  const maxConcurrentOnboardings = option('--max-concurrent');
  const pollSeconds = option('--poll-seconds');
  const { definition } = synthesizeOnboarding({
    ...(maxConcurrentOnboardings ? { maxConcurrentOnboardings } : {}),
    ...(pollSeconds ? { pollSeconds } : {}),
  });
  const { endpoint } = await embeddedDynamoDb();
  const client = harnessClient(endpoint);
  await resetTables(client);
  const aws = simulation({ organizations: { dailyCreations: Math.max(50, n) } });
  const figures = await measureOnboarding(definition, aws, client, n);
  const memory = Math.round(process.memoryUsage().rss / 2 ** 20);
  process.stdout.write(`${JSON.stringify({ ...figures, maxConcurrentOnboardings: maxConcurrentOnboardings ?? 15, pollSeconds: pollSeconds ?? 15, rssMiB: memory }, null, 2)}\n`);
  await closeEmbeddedDynamoDb();
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
