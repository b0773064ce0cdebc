import { execFileSync } from 'child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CACHE_ENV, synthesizedService, synthesisKey } from '../src/synthesis-cache';

const REPO = path.resolve(__dirname, '..', '..');

/** A copy of the sample scan-ingest service, outside the repository, using the repository's packages. */
function copyOfScanIngest(): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'fleet-synth-cache-'));
  symlinkSync(path.join(REPO, 'node_modules'), path.join(root, 'node_modules'));
  const dir = path.join(root, 'scan-ingest');
  for (const entry of ['src', 'package.json', 'tsconfig.json']) cpSync(path.join(REPO, 'projects', 'scan-ingest', entry), path.join(dir, entry), { recursive: true });
  return dir;
}

function edit(file: string, from: string, to: string): void {
  const text = readFileSync(file, 'utf8');
  if (!text.includes(from)) throw new Error(`${file} does not contain ${from}`);
  writeFileSync(file, text.replace(from, to));
}

/**
 * One load in a process of its own and a second in the same process, as the compiled CLI runs
 * them (a test's own module registry would not show a stale module): the hit flags and the
 * timeouts of `description` seen by each.
 */
function loadTwiceInNode(dir: string, description: string, afterFirst: string): { hit: boolean; timeout: number }[] {
  const script = `
    const { synthesizedService } = require(${JSON.stringify(path.join(REPO, 'cli', 'lib', 'synthesis-cache.js'))});
    const seen = [];
    const timeoutOf = (t) => Object.values(t.Resources).find((r) => r.Type === 'AWS::Lambda::Function' && r.Properties.Description === ${JSON.stringify(description)}).Properties.Timeout;
    let r = synthesizedService(${JSON.stringify(dir)}, 'scan-ingest');
    seen.push({ hit: r.hit, timeout: timeoutOf(r.service.template) });
    ${afterFirst}
    r = synthesizedService(${JSON.stringify(dir)}, 'scan-ingest');
    seen.push({ hit: r.hit, timeout: timeoutOf(r.service.template) });
    process.stdout.write(JSON.stringify(seen));`;
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8', env: { ...process.env, [CACHE_ENV]: '' } }));
}

describe('the synthesis cache never serves a stale template', () => {
  let dir: string;
  beforeAll(() => {
    dir = copyOfScanIngest();
    delete process.env[CACHE_ENV];
  });
  afterAll(() => rmSync(path.dirname(dir), { recursive: true, force: true }));

  test('GIVEN a service synthesized once WHEN nothing changed THEN the next load is a hit with the same template', () => {
    const first = synthesizedService(dir, 'scan-ingest');
    const second = synthesizedService(dir, 'scan-ingest');
    expect(second.hit).toBe(true);
    expect(second.key).toBe(first.key);
    expect(second.service.template).toEqual(first.service.template);
  }, 120_000);

  test('GIVEN a cached service WHEN a handler is edited THEN it is a miss', () => {
    const before = synthesizedService(dir, 'scan-ingest');
    edit(path.join(dir, 'src', 'functions', 'enrich-scan.ts'), 'export', '// edited\nexport');
    const after = synthesizedService(dir, 'scan-ingest');
    expect(after.hit).toBe(false);
    expect(after.key).not.toBe(before.key);
    expect(synthesizedService(dir, 'scan-ingest').hit).toBe(true);
  }, 120_000);

  test('GIVEN a cached service WHEN an option changes (a function timeout in the generated stack) THEN it is a miss and the template has the new value, also in the same process', () => {
    const description = 'Derives the barcode symbology and GS1 company prefix.';
    const stack = path.join(dir, 'src', 'stack.ts');
    const from = `description: '${description}',\n      timeout: Duration.seconds(10),`;
    const to = `description: '${description}',\n      timeout: Duration.seconds(11),`;
    const edit = `const fs = require('fs'); fs.writeFileSync(${JSON.stringify(stack)}, fs.readFileSync(${JSON.stringify(stack)}, 'utf8').replace(${JSON.stringify(from)}, ${JSON.stringify(to)}));`;
    const [before, after] = loadTwiceInNode(dir, description, edit);
    expect(before.timeout).toBe(10);
    expect(after).toEqual({ hit: false, timeout: 11 });
  }, 120_000);

  test('GIVEN a cached service WHEN a dependency version changes in package.json THEN it is a miss', () => {
    const before = synthesisKey(dir);
    edit(path.join(dir, 'package.json'), '"@aws-lambda-powertools/logger": "2.36.0"', '"@aws-lambda-powertools/logger": "2.36.1"');
    expect(synthesisKey(dir)).not.toBe(before);
    expect(synthesizedService(dir, 'scan-ingest').hit).toBe(false);
  }, 120_000);

  test(`GIVEN ${CACHE_ENV}=off THEN every load synthesizes`, () => {
    synthesizedService(dir, 'scan-ingest');
    process.env[CACHE_ENV] = 'off';
    try {
      expect(synthesizedService(dir, 'scan-ingest').hit).toBe(false);
    } finally {
      delete process.env[CACHE_ENV];
    }
  }, 120_000);
});
