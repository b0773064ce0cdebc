import { spawnSync } from 'child_process';
import { readdirSync, readFileSync } from 'fs';
import * as path from 'path';
import { LIBRARY_PACKAGES } from '../blueprints/src/fleet-workspace';
import { PACKAGE_SUBPATHS } from '../blueprints/src/package-boundary';
import { importsOf, ROOT, SourceImport, sourceFiles } from './source-imports';

/** Each `@fleet/*` package's name and the subpaths its generated package.json exports. */
const EXPORTS: ReadonlyMap<string, readonly string[]> = new Map(LIBRARY_PACKAGES.map((pkg) => {
  const manifest = JSON.parse(readFileSync(path.join(ROOT, pkg, 'package.json'), 'utf-8'));
  return [manifest.name as string, Object.keys(manifest.exports ?? {})];
}));

const SERVICES = readdirSync(path.join(ROOT, 'projects'), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => `projects/${e.name}`);

/** Teams' blueprint packages kept in this repository: written only against the exports of @fleet/blueprints. */
const TEAM_PACKAGES = readdirSync(path.join(ROOT, 'team-blueprints'), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => `team-blueprints/${e.name}`);

/** The folders whose files may import only other packages' exports, never reach into them. */
const BOUNDED_FOLDERS = [...LIBRARY_PACKAGES, ...TEAM_PACKAGES, ...SERVICES];

/**
 * Every import that crosses a package boundary other than through the exports map: an `@fleet/*`
 * subpath the package does not export (any `lib/` path included), or a relative path from a
 * package or service that lands in another folder. The root's own tests (test/, bench/) are
 * white-box tests of the repository and may import sources by relative path.
 */
function boundaryProblems(imports: readonly SourceImport[], exportsOf: ReadonlyMap<string, readonly string[]>): string[] {
  const problems: string[] = [];
  for (const { file, specifier } of imports) {
    const match = /^(@fleet\/[^/]+)(\/.*)?$/.exec(specifier);
    if (match) {
      const exported = exportsOf.get(match[1]);
      const subpath = `.${match[2] ?? ''}`;
      if (exported === undefined) {
        problems.push(`${file}: imports '${specifier}', and no package of this repository is named ${match[1]}. Fix: import one of ${[...exportsOf.keys()].join(', ')}.`);
      } else if (!exported.includes(subpath)) {
        problems.push(`${file}: imports '${specifier}', a path ${match[1]} does not export. Fix: import one of its exports (${exported.map((s) => `'${path.posix.join(match[1], s)}'`).join(', ')}), or add the subpath to PACKAGE_SUBPATHS in blueprints/src/package-boundary.ts and run npx projen.`);
      }
      continue;
    }
    if (!specifier.startsWith('.')) continue;
    const home = BOUNDED_FOLDERS.find((folder) => file.startsWith(`${folder}/`));
    if (home === undefined) continue;
    const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier));
    if (!target.startsWith(`${home}/`) && target !== home) {
      problems.push(`${file}: imports '${specifier}', which leaves ${home}/ for ${target}. Fix: import the other package by its name and an exported subpath.`);
    }
  }
  return problems;
}

describe('package boundaries', () => {
  test('GIVEN every package, service, root test and bench source WHEN its imports are read THEN each one of another package goes through that package\'s exports map', () => {
    const files = [...[...LIBRARY_PACKAGES, ...TEAM_PACKAGES].flatMap((pkg) => [...sourceFiles(`${pkg}/src`), ...sourceFiles(`${pkg}/test`)]),
      ...SERVICES.flatMap((service) => [...sourceFiles(`${service}/src`), ...sourceFiles(`${service}/test`), ...sourceFiles(`${service}/.projenrc.ts`)]),
      ...sourceFiles('test'), ...sourceFiles('bench'), ...sourceFiles('.projenrc.ts')];
    expect(files.length).toBeGreaterThan(100);
    expect(boundaryProblems(files.flatMap(importsOf), EXPORTS)).toEqual([]);
  });

  test('GIVEN each package\'s sources WHEN they import another @fleet package THEN it is one of its declared dependencies', () => {
    const undeclared: string[] = [];
    for (const pkg of LIBRARY_PACKAGES) {
      const manifest = JSON.parse(readFileSync(path.join(ROOT, pkg, 'package.json'), 'utf-8'));
      const declared = new Set([manifest.name, ...Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies, ...manifest.devDependencies })]);
      for (const { file, specifier } of [...sourceFiles(`${pkg}/src`), ...sourceFiles(`${pkg}/test`)].flatMap(importsOf)) {
        const name = /^@fleet\/[^/]+/.exec(specifier)?.[0];
        if (name !== undefined && !declared.has(name)) undeclared.push(`${file}: imports ${specifier}, not a dependency of ${manifest.name}`);
      }
    }
    expect(undeclared).toEqual([]);
  });

  test('GIVEN a deep lib/ import, an unexported subpath and a relative path into another package WHEN checked THEN each is named with its fix', () => {
    const imports: SourceImport[] = [
      { file: 'cli/src/a.ts', specifier: '@fleet/blueprints/lib/errors', typeOnly: false },
      { file: 'cli/src/a.ts', specifier: '@fleet/workflows/local/history', typeOnly: false },
      { file: 'cli/src/a.ts', specifier: '../../workflows/src/local', typeOnly: false },
      { file: 'cli/src/a.ts', specifier: '@fleet/workflows/local', typeOnly: false },
      { file: 'test/x.test.ts', specifier: '../blueprints/src/fleet', typeOnly: false },
    ];
    const exportsOf = new Map([['@fleet/blueprints', ['.', './files']], ['@fleet/workflows', ['.', './local']]]);
    expect(boundaryProblems(imports, exportsOf)).toEqual([
      "cli/src/a.ts: imports '@fleet/blueprints/lib/errors', a path @fleet/blueprints does not export. Fix: import one of its exports ('@fleet/blueprints', '@fleet/blueprints/files'), or add the subpath to PACKAGE_SUBPATHS in blueprints/src/package-boundary.ts and run npx projen.",
      "cli/src/a.ts: imports '@fleet/workflows/local/history', a path @fleet/workflows does not export. Fix: import one of its exports ('@fleet/workflows', '@fleet/workflows/local'), or add the subpath to PACKAGE_SUBPATHS in blueprints/src/package-boundary.ts and run npx projen.",
      "cli/src/a.ts: imports '../../workflows/src/local', which leaves cli/ for workflows/src/local. Fix: import the other package by its name and an exported subpath.",
    ]);
  });

  test('GIVEN the generated package.json files THEN each exports exactly its declared subpaths and ./package.json, with types', () => {
    for (const pkg of LIBRARY_PACKAGES) {
      const manifest = JSON.parse(readFileSync(path.join(ROOT, pkg, 'package.json'), 'utf-8'));
      const declared = PACKAGE_SUBPATHS[pkg as keyof typeof PACKAGE_SUBPATHS];
      expect(Object.keys(manifest.exports)).toEqual([...Object.keys(declared), './package.json']);
      for (const [subpath, module] of Object.entries(declared)) {
        expect(manifest.exports[subpath]).toEqual({ types: `./lib/${module}.d.ts`, default: `./lib/${module}.js` });
        if (subpath !== '.') expect(manifest.typesVersions['*'][subpath.slice(2)]).toEqual([`lib/${module}.d.ts`]);
      }
    }
  });

  test('GIVEN the built packages WHEN Node resolves from a service THEN every export resolves and a private lib/ path is refused', () => {
    const script = [
      `const exported = ${JSON.stringify(Object.fromEntries(EXPORTS))};`,
      'for (const [name, subpaths] of Object.entries(exported)) for (const s of subpaths) require.resolve(name + s.slice(1));',
      "try { require.resolve('@fleet/blueprints/lib/errors'); console.log('resolved'); } catch (e) { console.log(e.code); }",
    ].join('\n');
    const result = spawnSync(process.execPath, ['-e', script], { cwd: path.join(ROOT, 'projects/scan-ingest'), encoding: 'utf-8' });
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('ERR_PACKAGE_PATH_NOT_EXPORTED\n');
  });

  test('GIVEN a service CDK app WHEN it loads @fleet/workflows THEN the local harness\'s DynamoDB server, tsx and the AWS SDK stay unloaded', () => {
    // jsonata (definition validation) and esbuild (handler bundling) do load: synthesis uses both.
    const script = [
      "require('@fleet/workflows');",
      "const loaded = Object.keys(require.cache);",
      "console.log(['dynalite', 'tsx', '@aws-sdk', 'projen'].filter((p) => loaded.some((k) => k.includes('/node_modules/' + p + '/'))).join(','));",
    ].join('\n');
    const result = spawnSync(process.execPath, ['-e', script], { cwd: path.join(ROOT, 'projects/scan-ingest'), encoding: 'utf-8' });
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('\n');
  });
});

describe('@fleet/rollout', () => {
  test('GIVEN the rollout package\'s sources WHEN their imports are read THEN they import only @fleet/contracts and Node built-ins (never aws-cdk-lib, projen, the blueprints or the AWS SDK)', () => {
    const outside = sourceFiles('rollout/src').flatMap(importsOf)
      .filter(({ specifier }) => !specifier.startsWith('.') && specifier !== '@fleet/contracts' && !['crypto'].includes(specifier))
      .map(({ file, specifier }) => `${file}: imports ${specifier}`);
    expect(outside).toEqual([]);
  });
});
