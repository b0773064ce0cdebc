import { readdirSync, readFileSync } from 'fs';
import * as path from 'path';
import { REPO } from './support';

/**
 * The tool's own tests must not depend on which services the sample fleet has: adding the
 * README's example service, or removing one, must leave `cli/test` and `blueprints/test` green
 * (issue 9). They read the fleet from the manifest's output (cli/test/fixtures/sample-fleet.ts)
 * or declare a scratch fleet. This test fails when a test file names a sample service, except the
 * files below, each with why the name stays.
 *
 * Only the sample's step-functions services are looked for: the control plane and the tenant
 * baseline are named after their blueprints, whose ids tests name on purpose.
 */
const ALLOWED: Record<string, string> = {
  // Scratch fleets: the test declares the service itself, in its own manifest, outside this repository.
  'blueprints/test/containment.test.ts': 'scratch fleet declared in the test',
  'blueprints/test/crash-safety.test.ts': 'scratch fleet declared in crash/crash-fleet.ts',
  'blueprints/test/crash/crash-fleet.ts': 'scratch fleet declared here',
  'blueprints/test/fleet-lifecycle.test.ts': 'scratch fleet declared in the test',
  'blueprints/test/fleet-manifest.test.ts': 'scratch manifests declared in the test (the names are its examples)',
  'blueprints/test/manifest-names.test.ts': 'scratch manifests declared in the test',
  'blueprints/test/synthesis-record.test.ts': 'scratch fleet declared in the test',
  'cli/test/rollout.test.ts': 'scratch fleet (makeFleet) and registry declared in the test',
  'cli/test/tenants-onboard.test.ts': 'scratch fleet (makeFleet) and registry declared in the test',
  'cli/test/fixtures/rollout-deps.ts': 'scratch fleet (makeFleet) and registry shared by the rollout and onboarding tests',
  'cli/test/tenants-onboard-hostile.test.ts': 'scratch fleet and registry declared in the test (a tenant already in tenants.ts)',
  'blueprints/test/hostile-inputs.test.ts': 'scratch manifests declared in the test (hostile values beside a plain service name)',
  // Fake AWS data: names inside ARNs and event sources; no file of the sample fleet is read.
  'cli/test/dlq/dlq-command.test.ts': 'fake AWS resources (ARNs)',
  'cli/test/dlq/fake-aws.ts': 'fake AWS resources (ARNs, event sources)',
  // The CLI's own help and Fix lines use scan-ingest as their example; the tests assert that text.
  'cli/test/cli.test.ts': 'asserts the CLI\'s own example text ("e.g. fleet run scan-ingest ...")',
  'cli/test/graph.test.ts': 'asserts the CLI\'s own example text ("npx fleet graph scan-ingest")',
  // Runs a sample service's own handlers with its own events: the expected output is that service's.
  'cli/test/run.test.ts': 'runs scan-ingest and device-registry with their sample events and asserts their outputs',
  'cli/test/service-stack.test.ts': 'loads scan-ingest\'s stack and asserts its resources',
  'cli/test/sfn.test.ts': 'serves scan-ingest\'s workflow and runs its handlers',
  'cli/test/lazy-commands.test.ts': 'spawns the real CLI on scan-ingest\'s sample event to see what a warm run loads',
  'cli/test/synthesis-cache.test.ts': 'copies scan-ingest\'s sources to measure the cache on a real service',
};

/** The sample fleet's step-functions services, from the manifest's output (the root workspaces). */
function sampleServices(): string[] {
  const workspaces: string[] = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf-8')).workspaces;
  return workspaces
    .filter((w) => w.startsWith('projects/'))
    .filter((w) => JSON.parse(readFileSync(path.join(REPO, w, 'package.json'), 'utf-8')).fleet?.blueprint === 'step-functions-service')
    .map((w) => path.basename(w));
}

/** Every .ts file under `dir` (relative to the repository), snapshots and fixtures' data included. */
function testFiles(dir: string): string[] {
  return readdirSync(path.join(REPO, dir), { withFileTypes: true }).flatMap((entry) => {
    const rel = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === '__snapshots__' || entry.name === 'node_modules' ? [] : testFiles(rel);
    return rel.endsWith('.ts') ? [rel] : [];
  });
}

/** `file:line names "service"` for each line of `text` naming one of `services` as a whole name. */
function namings(file: string, text: string, services: string[]): string[] {
  const pattern = new RegExp(`(?<![a-z0-9-])(${services.map((s) => s.replace(/-/g, '\\-')).join('|')})(?![a-z0-9-])`, 'g');
  return text.split('\n').flatMap((line, i) => [...line.matchAll(pattern)].map((m) => `${file}:${i + 1} names the sample service "${m[1]}"`));
}

describe('the tool\'s tests and the sample fleet', () => {
  const services = sampleServices();
  const files = [...testFiles('cli/test'), ...testFiles('blueprints/test')];

  test('GIVEN the sample fleet WHEN its services are read from the manifest\'s output THEN there is at least one to look for', () => {
    expect(services.length).toBeGreaterThan(0);
  });

  test('GIVEN every test file under cli/test and blueprints/test WHEN searched for the sample services\' names THEN only the allowed files name one', () => {
    const problems = files
      .filter((file) => !(file in ALLOWED))
      .flatMap((file) => namings(file, readFileSync(path.join(REPO, file), 'utf-8'), services))
      .map((naming) => `${naming}. Fix: read the fleet from cli/test/fixtures/sample-fleet.ts (sampleFleet(), aWorkflowService()) or declare a scratch fleet; if the name must stay, add the file to ALLOWED in test/sample-fleet-names.test.ts with the reason.`);
    expect(problems).toEqual([]);
  });

  test('GIVEN the allow-list WHEN each entry is checked THEN it names a test file that exists and still needs it', () => {
    const known = new Set(files);
    const stale = Object.keys(ALLOWED)
      .filter((file) => !known.has(file) || namings(file, readFileSync(path.join(REPO, file), 'utf-8'), services).length === 0)
      .map((file) => `ALLOWED["${file}"]: ${known.has(file) ? 'names no sample service any more' : 'is no test file'}. Fix: remove the entry.`);
    expect(stale).toEqual([]);
  });
});
