import { chmodSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'fs';
import * as path from 'path';
import { runDriftCheck } from '../blueprints/src/cli/drift';
import { createFleetRepo, FLEET_DRIFT, REPO, run, runOk, snapshotTree, tempDir, writeManifest } from './support';

const MANIFEST = `{
  name: 'drift-demo',
  services: [{
    name: 'scan-ingest',
    blueprint: 'step-functions-service',
    functions: { 'validate-scan': {}, 'store-scan': { tableAccess: 'write' } },
    events: [{ source: 'scanner.device', detailType: 'Scan Uploaded' }],
  }],
}`;

/**
 * What `npx projen` runs in a fleet repository (its default task, fleet-synth), without npx and
 * projen's task runner in front: the same regeneration, half the CPU of each check. The tests of
 * the regeneration command itself (the bin's own run, a synthesis that does not finish) use the
 * default, `npx projen`.
 */
const REGENERATE = [process.execPath, path.join(REPO, 'blueprints', 'bin', 'fleet-synth.js')];

/** The drift check as `fleet-drift` runs it, in this process (its output and exit code), regenerating with REGENERATE. */
function checkDrift(repo: string) {
  return runDriftCheck(repo, REGENERATE);
}

/**
 * One generated fleet for the whole file: each describe below that edits it starts from its
 * generated commit again (git reset and clean), and the first one runs first.
 */
const sharedRepo = createFleetRepo(MANIFEST);

describe('the drift check', () => {
  const repo = sharedRepo;

  test('passes on a freshly generated fleet: the fleet-drift bin prints it and exits 0', () => {
    const result = run('node', [FLEET_DRIFT], repo);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('No drift: every generated file matches what its blueprint generates.\n');
    expect(result.status).toBe(0);
  });

  test('fails on a hand-edited managed file and names it', () => {
    const stack = path.join(repo, 'projects/scan-ingest/src/stack.ts');
    chmodSync(stack, 0o644);
    writeFileSync(stack, `${readFileSync(stack, 'utf-8')}\n// a quick fix made by hand\n`);

    const result = checkDrift(repo);

    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Drift: regenerating changed 1 file:\n  modified projects/scan-ingest/src/stack.ts\n');
    expect(result.stderr).toContain('Fix: put the change in the manifest (.projenrc.ts) or in a file the team owns');
  });

  test('drift cannot be hidden: a hand edit is shown as a unified diff against what the blueprint generates', () => {
    const stack = path.join(repo, 'projects/scan-ingest/src/stack.ts');
    chmodSync(stack, 0o644);
    writeFileSync(stack, readFileSync(stack, 'utf-8').replace('scanner.device', 'scanner.anything'));

    const result = checkDrift(repo);

    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      '--- projects/scan-ingest/src/stack.ts\tas found\n+++ projects/scan-ingest/src/stack.ts\tas generated\n',
    );
    expect(result.stderr).toMatch(/\n-.*scanner\.anything.*\n\+.*scanner\.device.*\n/);
  });

  test('keeps an edited handler through regeneration, which is not drift', () => {
    const handler = path.join(repo, 'projects/scan-ingest/src/functions/validate-scan.ts');
    writeFileSync(handler, 'export const handler = async () => ({ valid: true }); // the team\'s own code\n');

    const result = checkDrift(repo);

    expect(result.status).toBe(0);
    expect(readFileSync(handler, 'utf-8')).toBe('export const handler = async () => ({ valid: true }); // the team\'s own code\n');
  });

  test('a broken manifest lists every problem, exits non-zero and changes no file', () => {
    const before = snapshotTree(repo);
    writeManifest(repo, `{
      name: 'drift-demo',
      services: [
        { name: 'scan-ingest', blueprint: 'step-functions-service', functions: {} },
        { name: 'scan-ingest', blueprint: 'step-functions-service', functions: { 'x-1': { memoryMb: 1 } } },
        { name: 'Billing', blueprint: 'monolith', functions: { a1: {} } },
      ],
    } as any`);
    const manifestAfterEdit = readFileSync(path.join(repo, '.projenrc.ts'), 'utf-8');

    const result = run('npx', ['projen'], repo);

    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('The fleet manifest (.projenrc.ts) has 5 problems; no file was changed:');
    expect(result.stderr).toContain('1. services["scan-ingest"].functions: must name at least one function, got {}.');
    expect(result.stderr).toContain('2. services["scan-ingest"].name: is declared twice (services[0] and services[1]), got "scan-ingest".');
    expect(result.stderr).toContain('3. services["scan-ingest"].functions["x-1"].memoryMb: must be a whole number of MB from 128 to 10240, got 1.');
    expect(result.stderr).toContain('4. services["Billing"].name: must be kebab-case');
    expect(result.stderr).toContain('5. services["Billing"].blueprint: is not a known blueprint, got "monolith".');
    expect(snapshotTree(repo)).toEqual({ ...before, '.projenrc.ts': manifestAfterEdit });
  });
});

/** Commits every change in `repo` (including deletions and mode changes in the index). */
function commit(repo: string, message: string): void {
  runOk('git', ['add', '-A'], repo);
  commitStaged(repo, message);
}

/** Commits what is staged in `repo`, nothing else. */
function commitStaged(repo: string, message: string): void {
  runOk('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.com', 'commit', '-qm', message], repo);
}

describe('drift cannot be hidden', () => {
  const repo = sharedRepo;
  const generated = runOk('git', ['rev-parse', 'HEAD'], repo).trim();

  beforeEach(() => {
    runOk('git', ['reset', '-q', '--hard', generated], repo);
    runOk('git', ['clean', '-qfdx', '-e', 'node_modules'], repo);
  });

  test('drift cannot be hidden: a managed test deleted from git and hidden by a team .gitignore is drift', () => {
    // The attack: drop the blueprint's guard test from git, ignore it with a .gitignore the team owns.
    writeFileSync(path.join(repo, 'projects/scan-ingest/test/.gitignore'), 'stack.test.ts\n');
    runOk('git', ['rm', '-q', '--cached', 'projects/scan-ingest/test/stack.test.ts'], repo);
    rmSync(path.join(repo, 'projects/scan-ingest/test/stack.test.ts'));
    commit(repo, 'drop the guard test');

    const result = checkDrift(repo);

    expect(result.stdout).not.toContain('No drift');
    expect(result.stderr).toContain('Drift: git does not record 1 managed file as generated:\n');
    expect(result.stderr).toContain(
      '  ignored   projects/scan-ingest/test/stack.test.ts: git ignores this managed file (rule "stack.test.ts" in projects/scan-ingest/test/.gitignore:1), so CI never sees it\n',
    );
    expect(result.stderr).toContain('Fix: put the change in the manifest (.projenrc.ts) or in a file the team owns');
    expect(result.status).toBe(1);
  });

  test('drift cannot be hidden: a Jest manual mock that replaces a package under the managed guard tests is drift', () => {
    // The attack: a file under __mocks__ named like aws-cdk-lib/assertions makes every Template
    // assertion of the managed stack test pass, and no managed file changes.
    const mocks = path.join(repo, 'projects/scan-ingest/__mocks__/aws-cdk-lib');
    mkdirSync(mocks, { recursive: true });
    writeFileSync(path.join(mocks, 'assertions.ts'), 'export const Template = { fromStack: () => new Proxy({}, { get: () => () => undefined }) };\n');
    // A mock of the team's own module needs jest.mock() in the test that wants it: not drift.
    mkdirSync(path.join(repo, 'projects/scan-ingest/src/domain/__mocks__'), { recursive: true });
    writeFileSync(path.join(repo, 'projects/scan-ingest/src/domain/__mocks__/scan-clock.ts'), 'export const now = () => 0;\n');
    commit(repo, 'mock the assertions');

    const result = checkDrift(repo);

    expect(result.stdout).not.toContain('No drift');
    expect(result.stderr).toContain(
      'Drift: 1 Jest manual mock would replace an installed package in every test, the managed ones included:\n' +
        '  mock      projects/scan-ingest/__mocks__/aws-cdk-lib/assertions.ts: replaces "aws-cdk-lib/assertions"\n',
    );
    expect(result.stderr).not.toContain('scan-clock');
    expect(result.status).toBe(1);
  });

  test('drift cannot be hidden: a managed file that git does not track is drift', () => {
    runOk('git', ['rm', '-q', '--cached', 'projects/scan-ingest/src/stack.ts'], repo);
    commitStaged(repo, 'untrack the stack');

    const result = checkDrift(repo);

    expect(result.stderr).toContain('  untracked projects/scan-ingest/src/stack.ts: git does not track this managed file\n');
    expect(result.status).toBe(1);
  });

  test('drift cannot be hidden: a hand edit of a managed file that git ignores is drift, with its diff', () => {
    writeFileSync(path.join(repo, 'projects/scan-ingest/src/.gitignore'), 'stack.ts\n');
    runOk('git', ['rm', '-q', '--cached', 'projects/scan-ingest/src/stack.ts'], repo);
    commit(repo, 'ignore the stack');
    const stack = path.join(repo, 'projects/scan-ingest/src/stack.ts');
    chmodSync(stack, 0o644);
    writeFileSync(stack, `${readFileSync(stack, 'utf-8')}// edited where git cannot see it\n`);

    const result = checkDrift(repo);

    expect(result.stderr).toContain('Drift: regenerating changed 1 file:\n  modified projects/scan-ingest/src/stack.ts\n');
    expect(result.stderr).toContain('  ignored   projects/scan-ingest/src/stack.ts: git ignores this managed file (rule "stack.ts" in projects/scan-ingest/src/.gitignore:1), so CI never sees it\n');
    expect(result.stderr).toContain('\n-// edited where git cannot see it\n');
    expect(result.status).toBe(1);
  });

  test('drift cannot be hidden: a committed executable bit on a managed file is drift', () => {
    chmodSync(path.join(repo, 'projects/scan-ingest/src/stack.ts'), 0o755);
    commit(repo, 'chmod +x the stack');

    const result = checkDrift(repo);

    expect(result.stderr).toContain('  mode      projects/scan-ingest/src/stack.ts: git records mode 100755, the blueprint generates 100644\n');
    expect(result.status).toBe(1);
  });

  test('drift cannot be hidden: a managed script committed without its executable bit is drift', () => {
    runOk('git', ['update-index', '--chmod=-x', '.ci/run'], repo);
    commitStaged(repo, 'chmod -x .ci/run');

    const result = checkDrift(repo);

    expect(result.stderr).toContain('  mode      .ci/run: git records mode 100644, the blueprint generates 100755\n');
    expect(result.status).toBe(1);
  });

  test('drift cannot be hidden: a managed file replaced by a symbolic link is drift, never "No drift"', () => {
    const main = path.join(repo, 'projects/scan-ingest/src/main.ts');
    const outside = path.join(tempDir('drift-outside-'), 'main.ts');
    writeFileSync(outside, readFileSync(main));
    rmSync(main);
    symlinkSync(outside, main);
    commit(repo, 'main.ts is a symlink');

    const result = checkDrift(repo);

    // Regeneration either refuses to write through the link (naming it) or the check reports it.
    expect(result.stdout).not.toContain('No drift');
    expect(result.stderr).toContain('projects/scan-ingest/src/main.ts');
    expect(result.status).toBe(1);
  });

  test('drift cannot be hidden: an executable bit set on a managed file in the work tree is drift', () => {
    chmodSync(path.join(repo, 'projects/scan-ingest/src/main.ts'), 0o755);

    const result = checkDrift(repo);

    expect(result.stderr).toContain('Drift: regenerating changed 1 file:\n  mode     projects/scan-ingest/src/main.ts (executable before, not executable as generated)\n');
    expect(result.status).toBe(1);
  });
});

describe('drift cannot be hidden by a synthesis that does not finish', () => {
  const repo = sharedRepo;
  const generated = runOk('git', ['rev-parse', 'HEAD'], repo).trim();

  /** The manifest plus a service whose blueprint ends the synthesis process in the middle. */
  function writeCrashingManifest(crash: string): void {
    writeFileSync(
      path.join(repo, '.projenrc.ts'),
      [
        "import { Project } from 'projen/lib/project';",
        `import { Fleet } from ${JSON.stringify(path.join(REPO, 'blueprints', 'src'))};`,
        'const crashing = {',
        "  id: 'crashing', description: 'ends its process while it synthesizes', validate: () => [],",
        '  create: (options: any, outdir: string) => {',
        '    const project = new Project({ name: options.name, outdir });',
        `    project.synth = () => { ${crash}; };`,
        '    return project;',
        '  },',
        '};',
        "const manifest: any = " + MANIFEST + ';',
        "manifest.services.push({ name: 'report-mailer', blueprint: 'crashing' });",
        'new Fleet({ installAfterChange: false, ...manifest, blueprints: [crashing] }).synth();',
        '',
      ].join('\n'),
    );
  }

  beforeEach(() => {
    runOk('git', ['reset', '-q', '--hard', generated], repo);
    runOk('git', ['clean', '-qfdx', '-e', 'node_modules'], repo);
  });

  const KILLED =
    'Synthesis of service "report-mailer" (projects/report-mailer): .projenrc.ts was ended by signal SIGKILL before it completed, so generated files may be partly written. ' +
    'Fix: find what ended it (out of memory, a time limit, a blueprint that ends its own process), then run "npx projen" again.';

  test('drift cannot be hidden: npx projen fails, naming the service and the signal, when synthesis is killed', () => {
    writeCrashingManifest("process.kill(process.pid, 'SIGKILL')");

    const result = run('npx', ['projen'], repo);

    expect(result.stderr).toContain(KILLED);
    expect(result.status).toBe(1);
  });

  test('drift cannot be hidden: the drift check fails, naming the service and the signal, when synthesis is killed', () => {
    writeCrashingManifest("process.kill(process.pid, 'SIGKILL')");

    // The bin, run in the repository: the message names the regeneration command and folder as CI prints them.
    const result = run('node', [FLEET_DRIFT], repo);

    expect(result.stdout).not.toContain('No drift');
    expect(result.stderr).toContain(KILLED);
    expect(result.stderr).toContain('Drift check: regeneration ("npx projen" in .) exited with code 1, so nothing was compared. Fix: correct the error above, then run the drift check again.');
    expect(result.status).toBe(1);
  });

  test('drift cannot be hidden: a synthesis that exits 0 without its completion record fails npx projen and the drift check', () => {
    writeCrashingManifest('process.exit(0)');
    const stopped =
      'Synthesis of service "report-mailer" (projects/report-mailer): .projenrc.ts exited with code 0 but without its completion record, so it stopped before the end. ' +
      'Fix: make sure nothing calls process.exit() during synthesis and that .projenrc.ts ends with synth(), then run "npx projen" again.';

    const projen = run('npx', ['projen'], repo);
    const drift = runDriftCheck(repo);

    expect(projen.stderr).toContain(stopped);
    expect(projen.status).toBe(1);
    expect(drift.stdout).not.toContain('No drift');
    expect(drift.stderr).toContain(stopped);
    expect(drift.status).toBe(1);
  });
});

describe('CI checks drift before it runs the tests', () => {
  const tasks = JSON.parse(readFileSync(path.join(REPO, '.projen/tasks.json'), 'utf-8')).tasks;

  test('drift cannot be hidden: the root test task runs the drift check before jest, and jest once', () => {
    expect(tasks.test.steps).toEqual([{ spawn: 'build:packages' }, { spawn: 'drift' }, { exec: 'jest' }]);
  });

  test('drift cannot be hidden: a service CI runs the drift check before its build, and its tests once', () => {
    const ci = readFileSync(path.join(REPO, 'projects/scan-ingest/.github/workflows/ci.yml'), 'utf-8');
    const runs = [...ci.matchAll(/^\s+run: (.*)$/gm)].map((m) => m[1]);
    expect(runs).toEqual(['npm ci', 'npx fleet-drift', 'npx projen build']);
    const serviceTasks = JSON.parse(readFileSync(path.join(REPO, 'projects/scan-ingest/.projen/tasks.json'), 'utf-8')).tasks;
    expect(serviceTasks.build.steps).toContainEqual({ spawn: 'test' });
  });
});
