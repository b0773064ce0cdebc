import { execFile } from 'child_process';
import { existsSync, readdirSync, readFileSync } from 'fs';
import * as path from 'path';
import { WORKFLOW_DIAGRAM_FILE } from '@fleet/contracts';
import { REPO } from './support';

/**
 * Each service README links to projects/<service>/docs/workflow.mmd (the team's, written only by
 * `fleet graph --write`, never read by regeneration); this fails when that file no
 * longer matches the workflow in src/workflow.ts. It runs the real command (the built CLI, as
 * `npm test` builds the packages first), one child process per service, all at once.
 */
// Building a service stack (tsx, aws-cdk-lib, one esbuild run) takes 5-10 s; three share 2 cores.
const GRAPH_TIMEOUT_MS = 120_000;
const FLEET = path.join(REPO, 'cli', 'bin', 'fleet.js');
// Every generated project with a workflow (the control plane has none).
const services = readdirSync(path.join(REPO, 'projects'))
  .filter((name) => existsSync(path.join(REPO, 'projects', name, '.projen', 'files.json')) && existsSync(path.join(REPO, 'projects', name, 'src', 'workflow.ts')))
  .sort();

function graph(service: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [FLEET, 'graph', service], { cwd: REPO, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`fleet graph ${service} failed (${error.message.split('\n')[0]}):\n${stderr}`));
      else resolve(stdout);
    });
  });
}

describe('committed workflow diagrams', () => {
  const current = new Map<string, Promise<string>>();

  beforeAll(() => {
    for (const service of services) current.set(service, graph(service));
  });

  test('there are services to check', () => {
    expect(services.length).toBeGreaterThan(0);
  });

  test.each(services)(`projects/%s/${WORKFLOW_DIAGRAM_FILE} matches its workflow`, async (service) => {
    // GIVEN the committed diagram
    const file = path.join(REPO, 'projects', service, WORKFLOW_DIAGRAM_FILE);
    const fix = `Fix: run \`npx fleet graph ${service} --write\` at the fleet root and commit projects/${service}/${WORKFLOW_DIAGRAM_FILE}.`;
    if (!existsSync(file)) throw new Error(`Service ${service} has no workflow diagram at projects/${service}/${WORKFLOW_DIAGRAM_FILE}. ${fix}`);

    // WHEN drawn again from src/workflow.ts
    const drawn = await current.get(service)!;

    // THEN
    if (drawn !== readFileSync(file, 'utf8')) {
      throw new Error(`The workflow diagram of service ${service} (projects/${service}/${WORKFLOW_DIAGRAM_FILE}) is stale: src/workflow.ts changed since it was drawn. ${fix}`);
    }
  }, GRAPH_TIMEOUT_MS);
});
