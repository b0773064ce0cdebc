import { closeEmbeddedDynamoDb, embeddedDynamoDb } from '../../src/testing';
import { harnessClient, measureOnboarding, resetTables, simulation, synthesizeOnboarding } from './onboarding-harness';

/**
 * The onboarding at batch scale in the simulator, test-sized: 50 requests in one execution
 * (FLEET_ONBOARDING_REQUESTS to change it; `npm run bench:onboarding` runs 500 and prints the
 * figures) under the default Organizations limits.
 */

// A batch over the embedded DynamoDB on a shared machine: a generous cap, not a timing assertion.
jest.setTimeout(600_000);

const REQUESTS = Number(process.env.FLEET_ONBOARDING_REQUESTS ?? 50);

afterAll(() => closeEmbeddedDynamoDb());

test(`GIVEN ${REQUESTS} requests in one batch WHEN onboarded under the default limits THEN every tenant is READY, one account each, never more than 5 creations at once, and no CreateAccount refused`, async () => {
  const { definition } = synthesizeOnboarding();
  const { endpoint } = await embeddedDynamoDb();
  const client = harnessClient(endpoint);
  await resetTables(client);
  const aws = simulation({ organizations: { dailyCreations: Math.max(50, REQUESTS) } });
  const figures = await measureOnboarding(definition, aws, client, REQUESTS);
  expect({ ready: figures.ready, failed: figures.failed }).toEqual({ ready: REQUESTS, failed: 0 });
  expect(aws.organizations.creationsRequested).toBe(REQUESTS);
  // Organizations' own record of the creations in flight.
  expect(figures.maxCreationsInFlight).toBeLessThanOrEqual(5);
  // Tenants waited on the creation-slot semaphore, never on a TooManyRequestsException back-off.
  expect(figures.createAccountCalls).toBe(REQUESTS);
  process.stdout.write(`onboarding figures: ${JSON.stringify(figures)}\n`);
});
