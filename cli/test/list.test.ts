import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Command } from 'commander';
import { runList } from '../src/commands/list';
import { createProgram, main } from '../src/main';

/** A scratch fleet of two generated services, as `fleet list` sees them: a file manifest and the package.json fields a blueprint writes. */
function scratchFleet(): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'fleet-list-'));
  writeFileSync(path.join(root, '.projenrc.ts'), '// manifest\n');
  const services = [
    { name: 'orders', version: '2.0.1', fleet: { blueprint: 'step-functions-service', deployedTo: 'every-tenant-account' } },
    { name: 'hub', version: '0.3.0', fleet: { blueprint: 'control-plane', deployedTo: 'central-account' } },
  ];
  for (const { name, ...pkg } of services) {
    mkdirSync(path.join(root, 'projects', name, '.projen'), { recursive: true });
    writeFileSync(path.join(root, 'projects', name, '.projen', 'files.json'), '{"files":[]}\n');
    writeFileSync(path.join(root, 'projects', name, 'package.json'), JSON.stringify({ name, ...pkg, devDependencies: { '@fleet/blueprints': '0.1.0' } }));
  }
  // Not generated (no .projen/files.json): not a service.
  mkdirSync(path.join(root, 'projects', 'notes'));
  return root;
}

describe('fleet list', () => {
  test('GIVEN a fleet WHEN fleet list runs THEN each generated service is listed with blueprint, version and deployment target', () => {
    expect(runList({}, path.join(scratchFleet(), 'projects'))).toBe([
      '  service  blueprint               version  blueprints  deployed to',
      '  hub      control-plane           0.3.0    0.1.0       central-account',
      '  orders   step-functions-service  2.0.1    0.1.0       every-tenant-account',
      '',
    ].join('\n'));
  });

  test('GIVEN a fleet WHEN fleet list --json runs THEN the same facts come as JSON', () => {
    expect(JSON.parse(runList({ json: true }, scratchFleet()))).toEqual([
      { name: 'hub', blueprint: 'control-plane', blueprintVersion: '0.1.0', version: '0.3.0', deployedTo: 'central-account' },
      { name: 'orders', blueprint: 'step-functions-service', blueprintVersion: '0.1.0', version: '2.0.1', deployedTo: 'every-tenant-account' },
    ]);
  });
});

describe('--version', () => {
  /** Every command path of the program: [], ['owned'], ['dlq', 'list'], ... */
  function commandPaths(command: Command, prefix: string[] = []): string[][] {
    return [prefix, ...command.commands.flatMap((sub) => commandPaths(sub, [...prefix, sub.name()]))];
  }

  test('GIVEN the CLI WHEN --version is passed to it or to any of its commands THEN the package version is printed and the exit code is 0', async () => {
    const version = JSON.parse(readFileSync(path.join(__dirname, '..', 'package.json'), 'utf-8')).version;
    const paths = commandPaths(createProgram());
    expect(paths.length).toBeGreaterThan(10);
    for (const commandPath of paths) {
      const out: string[] = [];
      const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: any) => { out.push(String(chunk)); return true; });
      const before = process.exitCode;
      process.exitCode = undefined;
      try {
        await main(['node', 'fleet', ...commandPath, '--version']);
        expect({ commandPath, out: out.join(''), exitCode: process.exitCode ?? 0 }).toEqual({ commandPath, out: `${version}\n`, exitCode: 0 });
      } finally {
        process.exitCode = before;
        write.mockRestore();
      }
    }
  });
});
