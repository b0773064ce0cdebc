import { spawn } from 'child_process';
import { createHash } from 'crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { LocalRegistry, startLocalRegistry } from './local-registry';
import { REPO, runOk, tempDir } from './support';

/**
 * docs/copying-a-service-out.md, run as written: the service is copied out of this fleet with
 * the doc's commands, its `@fleet/*` packages come from a registry (the packed packages, served on
 * loopback), and its own CI steps (read from its .github/workflows/ci.yml) pass. Then the doc's
 * upgrade command takes it to a newer blueprints release that changes a managed file and the
 * sample of an owned file.
 *
 * What keeps it bounded: the packages are packed once, npm takes every other package from its
 * cache (`prefer-offline`; the fleet's own install filled it), and the copy's tests run once, in
 * `npx projen build` as its CI runs them.
 */
const DOC = readFileSync(path.join(REPO, 'docs', 'copying-a-service-out.md'), 'utf-8');
const SERVICE = /^service=(\S+); repo=\.\.\/\S+$/m.exec(DOC)?.[1];
const DOC_REGISTRY = 'https://npm.example.com/';
const PACKAGES = ['contracts', 'rollout', 'blueprints', 'workflows', 'simulator', 'cli'];
const GIT_IDENTITY = { GIT_AUTHOR_NAME: 'test', GIT_AUTHOR_EMAIL: 'test@example.com', GIT_COMMITTER_NAME: 'test', GIT_COMMITTER_EMAIL: 'test@example.com' };

/** The ```bash blocks of a section of the doc, in order. */
function bashBlocks(section: string): string[] {
  const start = DOC.indexOf(`\n## ${section}\n`);
  if (start === -1) throw new Error(`docs/copying-a-service-out.md has no section "## ${section}"`);
  const end = DOC.indexOf('\n## ', start + 1);
  return [...DOC.slice(start, end === -1 ? undefined : end).matchAll(/```bash\n([\s\S]*?)```/g)].map((m) => m[1]);
}

interface Ran { status: number | null; output: string }

/** Runs a bash script; asynchronous, so the registry in this process keeps answering npm. */
function bash(script: string, cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-euo', 'pipefail', '-c', script], { cwd, env: { ...process.env, ...env } });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('close', (status) => resolve({ status, output }));
  });
}

async function bashOk(script: string, cwd: string, env: NodeJS.ProcessEnv = {}): Promise<string> {
  const ran = await bash(script, cwd, env);
  if (ran.status !== 0) throw new Error(`exited with ${ran.status} in ${cwd}:\n${script}\n${ran.output}`);
  return ran.output;
}

/**
 * A release of every `@fleet/*` package at `version`, from the packed `from` tarballs: versions
 * and `@fleet/*` dependencies bumped, and `edit` applied to the unpacked blueprints.
 */
function release(from: string[], version: string, into: string, edit: (blueprintsDir: string) => void): string[] {
  return from.map((tarball) => {
    const dir = tempDir('release-');
    runOk('tar', ['-xzf', tarball, '-C', dir], REPO);
    const manifestPath = path.join(dir, 'package', 'package.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf-8'));
    manifest.version = version;
    for (const deps of [manifest.dependencies, manifest.devDependencies, manifest.peerDependencies]) {
      for (const name of Object.keys(deps ?? {})) if (name.startsWith('@fleet/')) deps[name] = version;
    }
    writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
    if (manifest.name === '@fleet/blueprints') edit(path.join(dir, 'package'));
    const out = path.join(into, `${manifest.name.replace('@', '').replace('/', '-')}-${version}.tgz`);
    runOk('tar', ['-czf', out, '-C', dir, 'package'], REPO);
    return out;
  });
}

/** Replaces `before` by `after` in a compiled file of the unpacked blueprints; fails when `before` is not there. */
function patch(dir: string, file: string, before: string, after: string): void {
  const target = path.join(dir, file);
  const text = readFileSync(target, 'utf-8');
  if (!text.includes(before)) throw new Error(`${file} no longer contains ${JSON.stringify(before)}: update this test's release edit`);
  writeFileSync(target, text.split(before).join(after));
}

describe('docs/copying-a-service-out.md, followed as written', () => {
  const work = tempDir('standalone-');
  const copy = path.join(work, SERVICE ?? 'service');
  const env = { ...GIT_IDENTITY, npm_config_prefer_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };
  let registry: LocalRegistry;
  let packed: string[];
  let copiedOut: string;

  beforeAll(async () => {
    registry = await startLocalRegistry();
    const tarballs = path.join(work, 'packages');
    mkdirSync(tarballs);
    for (const pkg of PACKAGES) runOk('npm', ['pack', '--silent', '--pack-destination', tarballs], path.join(REPO, pkg));
    packed = readdirSync(tarballs).map((f) => path.join(tarballs, f));
    packed.forEach((tarball) => registry.publish(tarball));

    const [copyOut] = bashBlocks('Copy it out');
    const script = copyOut
      .replace(/^(service=\S+; repo=)\S+$/m, `$1${JSON.stringify(copy)}`)
      .split(DOC_REGISTRY).join(registry.url);
    copiedOut = await bashOk(script, REPO, env);
  }, 600_000);

  afterAll(() => registry?.close());

  test('GIVEN the doc WHEN it is read THEN it names the service, the scope setting and every @fleet package the service needs', () => {
    expect(SERVICE).toBeDefined();
    expect(DOC).toContain(`@fleet:registry=${DOC_REGISTRY}`);
    const needed = Object.keys({ ...JSON.parse(readFileSync(path.join(copy, 'package.json'), 'utf-8')).devDependencies }).filter((n) => n.startsWith('@fleet/'));
    expect(needed.sort()).toEqual(['@fleet/blueprints', '@fleet/cli', '@fleet/workflows']);
    for (const name of PACKAGES.map((p) => `@fleet/${p}`)) expect(DOC).toContain(`\`${name}\``);
  });

  test('GIVEN the copy-out steps WHEN they ran THEN @fleet/* came from the registry in .npmrc, the lockfile is committed, and .projenrc.ts is the team\'s', () => {
    expect(readFileSync(path.join(copy, '.npmrc'), 'utf-8')).toBe(`@fleet:registry=${registry.url}\n`);
    // Each @fleet package is locked to the very tarball the registry served (its integrity), and
    // npm asked the registry in .npmrc for it.
    const lock = JSON.parse(readFileSync(path.join(copy, 'package-lock.json'), 'utf-8'));
    for (const tarball of packed) {
      const { name, version } = JSON.parse(runOk('tar', ['-xzOf', tarball, 'package/package.json'], REPO));
      expect(lock.packages[`node_modules/${name}`]).toMatchObject({ version, integrity: `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}` });
      expect(registry.requests.map((r) => decodeURIComponent(r))).toContain(`GET /${name}`);
    }
    expect(runOk('git', ['ls-files', 'package-lock.json', '.npmrc'], copy).split('\n').filter(Boolean).sort()).toEqual(['.npmrc', 'package-lock.json']);
    expect(runOk('git', ['status', '--porcelain'], copy)).toBe('');

    const projenrc = readFileSync(path.join(copy, '.projenrc.ts'), 'utf-8');
    expect(projenrc).not.toContain('Generated by projen');
    expect(projenrc).toContain(`"name": "${SERVICE}"`);
    expect(statSync(path.join(copy, '.projenrc.ts')).mode & 0o200).toBe(0o200);
    expect(JSON.parse(readFileSync(path.join(copy, '.projen/files.json'), 'utf-8')).files).not.toContain('.projenrc.ts');
    expect(readFileSync(path.join(copy, 'README.md'), 'utf-8')).toContain('| `.projenrc.ts` | owned |');
    expect(copiedOut).not.toMatch(/npm (ERR|error)/);
  });

  test('GIVEN the committed copy WHEN its CI steps run, as its ci.yml lists them THEN npm ci, the drift check, build and tests pass', async () => {
    const ci = parse(readFileSync(path.join(copy, '.github/workflows/ci.yml'), 'utf-8'));
    const steps: string[] = ci.jobs.build.steps.filter((s: any) => s.run).map((s: any) => s.run);
    expect(steps).toEqual(bashBlocks('Copy it out')[1].trim().split('\n'));
    for (const step of steps) {
      const ran = await bash(step, copy, env);
      expect({ step, status: ran.status, output: ran.status === 0 ? '' : ran.output }).toEqual({ step, status: 0, output: '' });
      if (step === 'npx fleet-drift') expect(ran.output).toBe('No drift: every generated file matches what its blueprint generates.\n');
      if (step === 'npx projen build') expect(ran.output).toMatch(/Tests:\s+\d+ passed, \d+ total/);
    }
  }, 900_000);

  test('GIVEN the copy WHEN its workflow runs locally THEN the real handlers run against an embedded DynamoDB', async () => {
    const ran = await bash('npx projen workflow:run --input events/scan-uploaded.json --json', copy, env);
    const lines = ran.output.trim().split('\n');
    expect(JSON.parse(lines[lines.length - 1])).toMatchObject({ status: 'SUCCEEDED', output: { counted: true } });
    expect(ran.status).toBe(0);
  }, 300_000);

  test('GIVEN the team edits an option and adds a comment in .projenrc.ts WHEN npx projen runs THEN the option takes effect and the file is left as they wrote it', async () => {
    const file = path.join(copy, '.projenrc.ts');
    const edited = readFileSync(file, 'utf-8')
      .replace(/"description": "[^"]*"/, '"description": "Ingests scans, run by its own team."')
      .replace('new StepFunctionsService(', '// Our own note: this service left the fleet.\nnew StepFunctionsService(');
    writeFileSync(file, edited);

    await bashOk('npx projen', copy, env);

    expect(readFileSync(file, 'utf-8')).toBe(edited);
    expect(JSON.parse(readFileSync(path.join(copy, 'package.json'), 'utf-8')).description).toBe('Ingests scans, run by its own team.');
    expect(JSON.parse(readFileSync(path.join(copy, '.projen/owned-files.json'), 'utf-8')).files['.projenrc.ts']).toBeUndefined();
    await bashOk('git add -A && git commit -qm "our own description"', copy, env);
  }, 300_000);

  test('GIVEN a team edit of an owned file WHEN the doc\'s upgrade command takes a release that changes a managed file and that file\'s sample THEN the managed file is new, the edit is kept and the change merged', async () => {
    const [upgrade] = bashBlocks('Upgrading to a newer blueprints release');
    const version = /@fleet\/blueprints@(\S+)/.exec(upgrade)![1];
    expect(version).not.toBe('0.1.0');
    const managedLine = '| `npx projen` | regenerate the managed files from the options |';
    const sampleHeader = "const header = [`import type { Context } from 'aws-lambda';`];";
    const newer = release(packed, version, path.join(work, 'packages'), (dir) => {
      patch(dir, 'lib/versions.js', "BLUEPRINTS_VERSION = '0.1.0'", `BLUEPRINTS_VERSION = '${version}'`);
      patch(dir, 'lib/step-functions-service/readme-source.js', managedLine, '| `npx projen` | regenerate the managed files from the options in `.projenrc.ts` |');
      patch(dir, 'lib/step-functions-service/sample-sources.js', sampleHeader, "const header = ['// One handler, one job.', `import type { Context } from 'aws-lambda';`];");
    });
    newer.forEach((tarball) => registry.publish(tarball));

    const handler = path.join(copy, 'src/functions/enrich-scan.ts');
    chmodSync(handler, 0o644);
    writeFileSync(handler, `${readFileSync(handler, 'utf-8')}\n// the team's own edit\n`);
    await bashOk('git add -A && git commit -qm "team edit"', copy, env);

    await bashOk(upgrade, copy, env);

    const pkg = JSON.parse(readFileSync(path.join(copy, 'package.json'), 'utf-8'));
    expect([pkg.devDependencies['@fleet/blueprints'], pkg.devDependencies['@fleet/workflows'], pkg.devDependencies['@fleet/cli']]).toEqual([version, version, version]);
    const lock = JSON.parse(readFileSync(path.join(copy, 'package-lock.json'), 'utf-8'));
    expect(lock.packages['node_modules/@fleet/blueprints'].version).toBe(version);
    expect(readFileSync(path.join(copy, 'README.md'), 'utf-8')).toContain('regenerate the managed files from the options in `.projenrc.ts`');
    const merged = readFileSync(handler, 'utf-8');
    expect(merged.startsWith("// One handler, one job.\nimport type { Context } from 'aws-lambda';\n")).toBe(true);
    expect(merged).toContain("// the team's own edit");
    expect(merged).toContain('describeBarcode');
    expect((await bash('npx fleet owned --check', copy, env)).status).toBe(0);
    await bashOk('git add -A && git commit -qm upgraded', copy, env);
    expect(await bashOk('npx fleet-drift', copy, env)).toBe('No drift: every generated file matches what its blueprint generates.\n');
  }, 600_000);

  test('GIVEN the copy WHEN anything ran THEN nothing was written into the fleet repository', () => {
    expect(existsSync(path.join(REPO, 'projects', SERVICE!, '.npmrc'))).toBe(false);
    expect(existsSync(path.join(REPO, 'projects', SERVICE!, 'package-lock.json'))).toBe(false);
  });
});
