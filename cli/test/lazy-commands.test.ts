import { spawnSync } from 'child_process';
import { mkdtempSync, readFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CommanderError } from 'commander';
import { commandName, COMMANDS, invokedCommand } from '../src/commands';
import { createProgram, main } from '../src/main';

/**
 * The CLI lists every command without loading its module, and loads only the command that runs.
 * The listing is written out in src/commands/index.ts; these tests keep it equal to what the
 * modules register. The process tests spawn the compiled CLI (npm test builds the packages first).
 */
const REPO = path.resolve(__dirname, '..', '..');
const SCAN_EVENT = 'projects/scan-ingest/events/scan-uploaded.json';

/** What `run()` writes to stdout. */
async function stdoutOf(run: () => Promise<unknown>): Promise<string> {
  const out: string[] = [];
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: any) => { out.push(String(chunk)); return true; });
  const before = process.exitCode;
  try {
    await run().catch((error) => {
      if (!(error instanceof CommanderError)) throw error;
    });
  } finally {
    process.exitCode = before;
    write.mockRestore();
  }
  return out.join('');
}

/** The files a spawned `fleet <args>` loaded, as paths relative to the repository. */
function loadedBy(...args: string[]): { code: number | null; stderr: string; loaded: string[] } {
  const record = path.join(mkdtempSync(path.join(os.tmpdir(), 'fleet-loaded-')), 'loaded.txt');
  const result = spawnSync(process.execPath, ['-r', path.join(__dirname, 'fixtures', 'lazy', 'record-loaded.js'), path.join(REPO, 'cli', 'bin', 'fleet.js'), ...args], {
    cwd: REPO,
    encoding: 'utf8',
    env: { ...process.env, RECORD_LOADED: record, POWERTOOLS_LOG_LEVEL: 'SILENT' },
    timeout: 180_000,
  });
  return { code: result.status, stderr: result.stderr, loaded: readFileSync(record, 'utf8').split('\n').map((file) => path.relative(REPO, file)) };
}

/** The packages under node_modules among `files` that are in `names`. */
function packagesAmong(files: string[], names: string[]): string[] {
  return names.filter((name) => files.some((file) => file.includes(`node_modules/${name}/`)));
}

describe('the command listing', () => {
  test('GIVEN the listing of src/commands/index.ts WHEN fleet --help prints it THEN it is the help of the program with every command loaded', () => {
    expect(createProgram({ load: null }).helpInformation()).toBe(createProgram().helpInformation());
  });

  test('GIVEN every command WHEN its module is loaded THEN it registers exactly the listed command, in the listed order', () => {
    const loaded = createProgram().commands.map((c) => c.name());
    expect(loaded).toEqual([...COMMANDS.map(commandName)]);
  });

  test.each(COMMANDS.map((entry) => ({ name: commandName(entry) })))('GIVEN fleet $name --help and fleet help $name WHEN main loads only that command THEN each prints the help of the program with every command loaded', async ({ name }) => {
    const full = await stdoutOf(() => createProgram().parseAsync(['node', 'fleet', name, '--help']));

    expect(full).toContain(`Usage: fleet ${name} [options]`);
    expect(await stdoutOf(() => main(['node', 'fleet', name, '--help']))).toBe(full);
    expect(await stdoutOf(() => main(['node', 'fleet', 'help', name]))).toBe(full);
  });

  test.each([
    [['run', 'scan-ingest', '--input', 'e.json'], 'run'],
    [['--json', 'list'], 'list'],
    [['help', 'dlq'], 'dlq'],
    [['dlq', 'list', '--help'], 'dlq'],
    [['--help'], undefined],
    [['--version'], undefined],
    [[], undefined],
  ])('GIVEN fleet %j WHEN the invoked command is read THEN it is %s', (args, expected) => {
    expect(invokedCommand(['node', 'fleet', ...(args as string[])])).toBe(expected);
  });
});

describe('what the CLI process loads', () => {
  const HEAVY = ['aws-cdk-lib', 'cdk-nag', 'typescript', 'esbuild', 'projen', '@aws-sdk/client-s3', '@aws-sdk/client-sqs'];

  test('GIVEN fleet --help WHEN it runs THEN no command module and none of aws-cdk-lib, typescript, esbuild, projen or the AWS SDK is loaded', () => {
    const run = loadedBy('--help');

    expect(run.code).toBe(0);
    expect(packagesAmong(run.loaded, HEAVY)).toEqual([]);
    expect(run.loaded.filter((file) => file.startsWith('cli/lib/commands/') && file !== 'cli/lib/commands/index.js')).toEqual([]);
  });

  test('GIVEN a warm synthesis cache WHEN fleet run <service> runs THEN only the run command is loaded and aws-cdk-lib, cdk-nag, typescript and projen are not', () => {
    // The first run fills the cache (or hits it already); the second is the warm run measured.
    expect(loadedBy('run', 'scan-ingest', '--input', SCAN_EVENT).code).toBe(0);
    const run = loadedBy('run', 'scan-ingest', '--input', SCAN_EVENT);

    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    // esbuild's JS entry does load: tsx (the handlers' TypeScript loader on Node 20) requires it,
    // and its transform cache keeps the esbuild process from starting.
    expect(packagesAmong(run.loaded, HEAVY.filter((name) => name !== 'esbuild'))).toEqual([]);
    expect(run.loaded.filter((file) => file.startsWith('cli/lib/commands/'))).toEqual(['cli/lib/commands/index.js', 'cli/lib/commands/run.js']);
  }, 360_000);

  test('GIVEN a warm synthesis cache WHEN fleet cost --tenants 6000 runs THEN only the cost command is loaded and none of aws-cdk-lib, typescript, esbuild, tsx, projen or the AWS SDK', () => {
    // The first run fills the cache of every tenant service (or hits it already); the second is the warm run measured.
    expect(loadedBy('cost', '--tenants', '6000').code).toBe(0);
    const run = loadedBy('cost', '--tenants', '6000');

    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    // The report reads the cached templates only: no TypeScript loader, so esbuild is not loaded either.
    expect(packagesAmong(run.loaded, [...HEAVY, 'tsx', '@aws-sdk/client-dynamodb', '@fleet/workflows'])).toEqual([]);
    expect(run.loaded.filter((file) => file.startsWith('workflows/'))).toEqual([]);
    expect(run.loaded.filter((file) => file.startsWith('cli/lib/commands/'))).toEqual(['cli/lib/commands/index.js', 'cli/lib/commands/cost.js']);
  }, 360_000);
});
