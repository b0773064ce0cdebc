import { spawnSync } from 'child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'fs';
import * as path from 'path';
import { REPO, runOk, tempDir } from './support';

/**
 * docs/writing-a-blueprint.md, followed literally: every `bash` block runs in order (one shell
 * per block, the folder carried from one block to the next) and every `ts file=<path>` block is
 * written to that path of the fleet, exactly as the guide prints it. The scratch fleet gets the
 * @fleet/* packages from their `npm pack` tarballs; third-party packages are links into this
 * repository's node_modules (a full install from the registry takes minutes), and the one
 * root install the guide's `npx projen` would run is replaced by the link npm makes for a
 * workspace (`rootInstallStandIn`).
 */
const GUIDE = readFileSync(path.join(REPO, 'docs', 'writing-a-blueprint.md'), 'utf-8');
const FLEET_PACKAGES = ['contracts', 'rollout', 'blueprints', 'workflows', 'cli'];

type GuideStep = { kind: 'bash'; script: string } | { kind: 'file'; file: string; contents: string };

/** The executable blocks of the guide, in order: `bash` blocks and `<lang> file=<path>` blocks; others are prose. */
function guideSteps(markdown: string): GuideStep[] {
  const steps: GuideStep[] = [];
  for (const [, lang, info, body] of markdown.matchAll(/^```(\w+)([^\n]*)\n([\s\S]*?)^```$/gm)) {
    const file = /(?:^|\s)file=(\S+)/.exec(info)?.[1];
    if (file) steps.push({ kind: 'file', file, contents: body });
    else if (lang === 'bash') steps.push({ kind: 'bash', script: body });
  }
  return steps;
}

/** `node_modules` of the scratch fleet: @fleet/* unpacked from tarballs, everything else linked. */
function installFleetPackages(fleet: string): void {
  const modules = path.join(fleet, 'node_modules');
  const packs = path.join(fleet, '.packs');
  mkdirSync(path.join(modules, '@fleet'), { recursive: true });
  mkdirSync(path.join(modules, '.bin'));
  mkdirSync(packs);
  for (const entry of readdirSync(path.join(REPO, 'node_modules'))) {
    if (['@fleet', '@fleet-teams', '.bin', '.package-lock.json'].includes(entry)) continue;
    symlinkSync(path.join(REPO, 'node_modules', entry), path.join(modules, entry));
  }
  const bins = new Map<string, string>();
  for (const pkg of FLEET_PACKAGES) {
    const tarball = runOk('npm', ['pack', '--silent', '--pack-destination', packs], path.join(REPO, pkg)).trim().split('\n').pop()!;
    const dir = path.join(modules, '@fleet', pkg);
    mkdirSync(dir);
    runOk('tar', ['-xzf', path.join(packs, tarball), '-C', dir, '--strip-components=1'], fleet);
    // Dependencies npm installed under the package itself (versions the root could not hoist).
    if (existsSync(path.join(REPO, pkg, 'node_modules'))) symlinkSync(path.join(REPO, pkg, 'node_modules'), path.join(dir, 'node_modules'));
    for (const [name, file] of Object.entries<string>(JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf-8')).bin ?? {})) {
      chmodSync(path.join(dir, file), 0o755);
      bins.set(name, path.join(dir, file));
    }
  }
  for (const name of readdirSync(path.join(REPO, 'node_modules', '.bin'))) {
    const target = bins.get(name) ?? realpathSync(path.join(REPO, 'node_modules', '.bin', name));
    symlinkSync(target, path.join(modules, '.bin', name));
  }
  // What the root install does for a workspace of blueprintPackages (the guide's step 3).
  mkdirSync(path.join(modules, '@fleet-teams'));
  symlinkSync(path.join(fleet, 'team-blueprints', 'nightly-report'), path.join(modules, '@fleet-teams', 'nightly-report-blueprint'));
}

/**
 * A folder holding an `npm` that does what the fleet's one root install would do here (nothing:
 * the workspace links are prepared) and runs the real npm for everything else. projen sets
 * PROJEN_DISABLE_POST from its own arguments, so the environment cannot turn the install off.
 */
function rootInstallStandIn(fleet: string): string {
  const dir = path.join(fleet, '.guide-bin');
  const npm = runOk('bash', ['-c', 'command -v npm'], fleet).trim();
  mkdirSync(dir);
  writeFileSync(path.join(dir, 'npm'), [
    '#!/usr/bin/env bash',
    `if [ "$1" = install ] && [ "$PWD" = ${JSON.stringify(fleet)} ]; then echo 'root install: the prepared node_modules stand in for it'; exit 0; fi`,
    `exec ${JSON.stringify(npm)} "$@"`,
    '',
  ].join('\n'), { mode: 0o755 });
  return dir;
}

describe('docs/writing-a-blueprint.md, followed literally', () => {
  const steps = guideSteps(GUIDE);
  const fleet = tempDir('blueprint-guide-');
  const env: NodeJS.ProcessEnv = { NO_COLOR: '1' };
  let cwd = fleet;
  let last = '';

  beforeAll(() => {
    installFleetPackages(fleet);
    env.PATH = `${rootInstallStandIn(fleet)}${path.delimiter}${process.env.PATH}`;
    // The guide starts in a fleet repository: a manifest, projects/, and its first synthesis.
    writeFileSync(path.join(fleet, '.projenrc.ts'), "import { Fleet } from '@fleet/blueprints';\n\nnew Fleet({ name: 'guide-fleet', services: [] }).synth();\n");
    mkdirSync(path.join(fleet, 'projects'));
    runOk('node', ['--require', 'tsx/cjs', '.projenrc.ts'], fleet, env);
  }, 600_000);

  test('GIVEN the guide THEN it has the steps this test follows: commands and whole files', () => {
    expect(steps.map((s) => (s.kind === 'bash' ? `$ ${s.script.trim().split('\n').join(' && ')}` : `write ${s.file}`))).toEqual([
      '$ npx fleet new blueprint nightly-report && cd team-blueprints/nightly-report && npm test',
      'write team-blueprints/nightly-report/src/options.ts',
      'write team-blueprints/nightly-report/test/every-hours.test.ts',
      '$ npm test && npm run build',
      'write .projenrc.ts',
      '$ cd ../.. && npx projen',
      'write .projenrc.ts',
      '$ npx projen',
      '$ cd projects/shift-digest && npx projen build',
    ]);
  });

  test.each(steps.map((step, index) => [index + 1, step.kind === 'bash' ? `$ ${step.script.trim().split('\n').join(' && ')}` : `write ${step.file}`, step] as const))(
    'step %d: %s',
    (_index, _title, step) => {
      if (step.kind === 'file') {
        writeFileSync(path.join(fleet, step.file), step.contents);
        return;
      }
      const state = path.join(fleet, '.guide-cwd');
      const result = spawnSync('bash', ['-euo', 'pipefail', '-c', `${step.script}\npwd > ${JSON.stringify(state)}`], {
        cwd, encoding: 'utf-8', env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024,
      });
      last = `${result.stdout}${result.stderr}`;
      if (result.status !== 0) throw new Error(`The guide's step failed in ${cwd} (exit ${result.status}):\n${step.script}\n${last}`);
      cwd = readFileSync(state, 'utf-8').trim();
    },
    // Building the service (type-check, synthesis, tests) took 218 s on a loaded 2-core machine.
    600_000,
  );

  test('THEN the service generated from the team\'s blueprint type-checked, synthesized its jittered schedule and passed its tests', () => {
    const service = path.join(fleet, 'projects', 'shift-digest');
    expect(cwd).toBe(service);
    expect(last).toMatch(/Tests:\s+3 passed, 3 total/);
    const template = JSON.parse(readFileSync(path.join(service, 'cdk.out', 'shift-digest.template.json'), 'utf-8'));
    const [schedule] = Object.values<any>(template.Resources).filter((r) => r.Type === 'AWS::Scheduler::Schedule');
    expect(JSON.stringify(schedule.Properties.ScheduleExpression)).toContain(' 0/6 * * ? *)');
    expect(readFileSync(path.join(service, '.projenrc.ts'), 'utf-8')).toContain("import { NightlyReport } from '@fleet-teams/nightly-report-blueprint';");
    expect(JSON.parse(readFileSync(path.join(service, 'package.json'), 'utf-8')).devDependencies['@fleet-teams/nightly-report-blueprint']).toBe('0.1.0');
    expect(existsSync(path.join(fleet, 'team-blueprints', 'nightly-report', 'lib', 'index.js'))).toBe(true);
  });
});
