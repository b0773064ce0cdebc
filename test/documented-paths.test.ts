import { existsSync, readFileSync, writeFileSync, chmodSync } from 'fs';
import * as path from 'path';
import { createFleetRepo, FLEET_DRIFT, REPO, run, snapshotTree, writeManifest } from './support';

/**
 * The README's own steps, executed as written: the code block of "Adding a service" is read
 * from README.md and put into a fleet's manifest unchanged, so the README cannot show an entry
 * the tool rejects or a service whose tests fail; "To remove a service" is followed the same way.
 */
const README = readFileSync(path.join(REPO, 'README.md'), 'utf-8');

/** The first ```ts block of a README section. */
function codeBlockOf(section: string): string {
  const start = README.indexOf(`\n## ${section}\n`);
  if (start === -1) throw new Error(`README.md has no section "## ${section}"`);
  const block = /```ts\n([\s\S]*?)```/.exec(README.slice(start));
  if (!block) throw new Error(`README.md section "${section}" has no ts code block`);
  return block[1];
}

const EXAMPLE_ENTRY = codeBlockOf('Adding a service');
const EXAMPLE_NAME = /name: '([^']+)'/.exec(EXAMPLE_ENTRY)![1];

/** A one-service fleet, plus the README's example entry exactly as the README prints it. */
const manifestWith = (entry: string, retired: string[] = []) => `{
  name: 'docs-demo',
  services: [
    { name: 'scan-ingest', blueprint: 'step-functions-service', functions: { 'validate-scan': {} } },
${entry.trimEnd().split('\n').map((line) => `    ${line}`).join('\n')}
  ],
  retired: ${JSON.stringify(retired)},
}`;

describe('README: adding and removing a service, as written', () => {
  const repo = createFleetRepo(manifestWith(EXAMPLE_ENTRY));
  const service = path.join(repo, 'projects', EXAMPLE_NAME);

  test('GIVEN the README\'s example entry WHEN npx projen runs THEN the service is generated where the README says, drift-clean', () => {
    expect(EXAMPLE_NAME).toBe('label-printing');
    expect(existsSync(path.join(service, 'src/functions/render-label.ts'))).toBe(true);
    expect(existsSync(path.join(service, 'src/workflow.ts'))).toBe(true);
    const drift = run('node', [FLEET_DRIFT], repo);
    expect(drift.stdout + drift.stderr).toBe('No drift: every generated file matches what its blueprint generates.\n');
  });

  test('GIVEN the generated example service WHEN its own tests run THEN they pass with no step the README does not state', () => {
    const result = run('npx', ['jest', '--ci', '--silent'], service);
    expect(`${result.stdout}${result.stderr}`).toMatch(/Tests:\s+\d+ passed, \d+ total/);
    expect(result.status).toBe(0);
  }, 300_000);

  test('GIVEN the service is only deleted from services WHEN npx projen runs THEN it is refused and no file changes', () => {
    const before = snapshotTree(repo);
    writeManifest(repo, manifestWith(''));
    const result = run('node', ['--require', 'tsx/cjs', '.projenrc.ts'], repo);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain(`"${EXAMPLE_NAME}"`);
    expect(result.stderr).toContain('retired');
    writeManifest(repo, manifestWith(EXAMPLE_ENTRY));
    expect(snapshotTree(repo)).toEqual(before);
  });

  test('GIVEN a team\'s edit WHEN the service\'s name moves from services to retired THEN its managed files go and the files its team owns stay, listed', () => {
    const handler = path.join(service, 'src/functions/render-label.ts');
    chmodSync(handler, 0o644);
    writeFileSync(handler, `${readFileSync(handler, 'utf-8')}\n// the team's own edit\n`);
    writeManifest(repo, manifestWith('', [EXAMPLE_NAME]));
    const result = run('node', ['--require', 'tsx/cjs', '.projenrc.ts'], repo);
    expect(result.status).toBe(0);
    expect(existsSync(path.join(service, 'src/stack.ts'))).toBe(false);
    expect(readFileSync(handler, 'utf-8')).toContain("// the team's own edit");
    expect(`${result.stdout}${result.stderr}`).toContain('src/functions/render-label.ts');
    expect(JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf-8')).workspaces).not.toContain(`projects/${EXAMPLE_NAME}`);
  });
});
