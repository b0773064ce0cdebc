import { mkdirSync, symlinkSync, writeFileSync } from 'fs';
import * as path from 'path';
import { Blueprint, CONTROL_PLANE, Fleet, FleetOptions, formatProblem, OwnedFileConflictError, ServiceDeclaration, SingleStackProject, TENANT_DEPLOYMENT } from '../src';
import { listTree, read, readTree, synthFleet, tempDir } from './helpers';

/**
 * A hostile manifest author or blueprint author: every value below reaches a generated file that
 * runs (`.projenrc.ts`, `package.json`, task commands) or decides which files a team owns. Each is
 * refused with a message naming it, and nothing is written.
 */

function skeleton(outdir: string, overrides: Record<string, unknown>): SingleStackProject {
  return new SingleStackProject({
    name: 'nightly-job', blueprintId: 'nightly', className: 'Nightly', blueprintOptions: { name: 'nightly-job' },
    deployedTo: TENANT_DEPLOYMENT, stackClass: 'NightlyJobStack', outdir, ...overrides,
  } as any);
}

describe('SingleStackProject: the class and package a blueprint writes into every service it generates', () => {
  test('GIVEN a className that is code, a package name with a quote and versions that are a path, a range and a URL WHEN the project is built THEN every problem is refused before anything exists', () => {
    const outdir = tempDir();
    expect(() => skeleton(outdir, {
      className: "Nightly } from 'x'; require('child_process').execSync('touch /tmp/pwned'); import { Y",
      blueprintPackage: { name: "evil'pkg", version: 'file:../../..' },
    })).toThrow([
      'The blueprint of nightly-job has 3 problems; no file was changed:',
      '  1. SingleStackProject className: must be the name of the exported blueprint class, an identifier (letters, digits, "_" or "$", not starting with a digit, not a reserved word); it is written into the service\'s .projenrc.ts as code, got "Nightly } from \'x\'; require(\'child_process\').execSync(\'touch /tmp/pwned\'); import { Y". Fix: pass the class name the blueprint package exports, e.g. className: "ScheduledJob".',
      '  2. SingleStackProject blueprintPackage.name: must be an npm package name (lowercase letters, digits, ".", "_", "~", "-", optionally @scope/, at most 214 characters), got "evil\'pkg". Fix: pass the "name" of the blueprint package\'s package.json, e.g. "@my-team/scheduled-job-blueprint".',
      '  3. SingleStackProject blueprintPackage.version: must be an exact version (major.minor.patch, no range, tag, path or URL): it is written into the service\'s package.json, got "file:../../..". Fix: pass the "version" of the blueprint package\'s package.json, e.g. "0.1.0".',
    ].join('\n'));
    for (const version of ['^1.0.0', 'latest', 'https://example.com/x.tgz', 'github:someone/blueprint', '1.0']) {
      expect(() => skeleton(outdir, { blueprintPackage: { name: '@team/nightly-blueprint', version } })).toThrow(`SingleStackProject blueprintPackage.version: must be an exact version (major.minor.patch, no range, tag, path or URL): it is written into the service's package.json, got ${JSON.stringify(version)}.`);
    }
    expect(listTree(outdir)).toEqual([]);
  });

  test('GIVEN a blueprintPackage named like a package the skeleton pins, at another version WHEN the project is built THEN it is refused (it would replace that pin)', () => {
    expect(() => skeleton(tempDir(), { blueprintPackage: { name: '@fleet/workflows', version: '9.9.9' } })).toThrow(
      'SingleStackProject blueprintPackage.name: is a package the skeleton already pins (@fleet/workflows@0.1.0); the service would get "9.9.9" instead, got "@fleet/workflows". Fix: pass the blueprint\'s own package, or leave blueprintPackage out to import from @fleet/blueprints.',
    );
    expect(() => skeleton(tempDir(), { blueprintPackage: { name: 'projen', version: '0.0.1' } })).toThrow('is a package the skeleton already pins (projen@0.103.25)');
  });

  test('GIVEN a sound class and package WHEN generated THEN .projenrc.ts imports exactly that class from that package, pinned', () => {
    const outdir = tempDir();
    skeleton(outdir, { blueprintPackage: { name: '@team/nightly-blueprint', version: '1.2.3-rc.1' } }).synth();
    expect(read(outdir, '.projenrc.ts')).toContain("import { Nightly } from '@team/nightly-blueprint';\n");
    expect(JSON.parse(read(outdir, 'package.json')).devDependencies['@team/nightly-blueprint']).toBe('1.2.3-rc.1');
  });
});

describe('Fleet: blueprintPackages, blueprints and retired written by a hostile manifest author', () => {
  function root(): string {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'team-blueprints', 'nightly'), { recursive: true });
    writeFileSync(path.join(dir, 'team-blueprints', 'nightly', 'package.json'), '{ "name": "@team/nightly" }\n');
    mkdirSync(path.join(dir, 'node_modules', 'evil'), { recursive: true });
    writeFileSync(path.join(dir, 'node_modules', 'evil', 'package.json'), '{ "name": "evil" }\n');
    return dir;
  }
  const FIX = 'Fix: name the folder of a blueprint package in this repository, e.g. "team-blueprints/scheduled-job" (npx fleet new blueprint <name> creates one).';

  test('GIVEN blueprintPackages as one string instead of a list WHEN validated THEN it is one problem, not a crash', () => {
    const fleet = new Fleet({ name: 'demo', outdir: root(), services: [], installAfterChange: false, blueprintPackages: 'team-blueprints/nightly' as any });
    expect(fleet.validate().map(formatProblem)).toEqual([
      'blueprintPackages: must be a list of folders, got "team-blueprints/nightly". Fix: write blueprintPackages: ["team-blueprints/scheduled-job"]; each names the folder of a blueprint package in this repository, e.g. "team-blueprints/scheduled-job" (npx fleet new blueprint <name> creates one).',
    ]);
  });

  test('GIVEN folders in node_modules, a library package, a service folder, a duplicate and a link out of the repository WHEN validated THEN each is named, and nothing is written', () => {
    const dir = root();
    const elsewhere = tempDir('fleet-elsewhere-');
    writeFileSync(path.join(elsewhere, 'package.json'), '{ "name": "elsewhere" }\n');
    symlinkSync(elsewhere, path.join(dir, 'team-blueprints', 'linked'));
    const options: FleetOptions = {
      name: 'demo', outdir: dir, services: [], installAfterChange: false,
      blueprintPackages: ['node_modules/evil', 'workflows', 'projects/scan-ingest', 'team-blueprints/nightly', 'team-blueprints/nightly', 'team-blueprints/linked'],
    };
    expect(new Fleet(options).validate().map(formatProblem)).toEqual([
      `blueprintPackages[0]: is inside node_modules/, which holds installed or built files, not the repository's source, got "node_modules/evil". ${FIX}`,
      `blueprintPackages[1]: is one of the fleet's own packages, a workspace already, got "workflows". ${FIX}`,
      `blueprintPackages[2]: is a generated service folder (projects/), not a blueprint package, got "projects/scan-ingest". ${FIX}`,
      'blueprintPackages[4]: is listed twice (blueprintPackages[3] and blueprintPackages[4]), got "team-blueprints/nightly". Fix: list each package once.',
      `blueprintPackages[5]: leads outside the fleet repository through a symbolic link (its build and tests would run code from there), got "team-blueprints/linked". ${FIX.replace(/\.$/, '')}: a real folder, not a link to one elsewhere.`,
    ]);
    const before = listTree(dir);
    expect(() => new Fleet(options).synthOrThrow()).toThrow('The fleet manifest (.projenrc.ts) has 5 problems; no file was changed:');
    expect(listTree(dir)).toEqual(before);
  });

  test('GIVEN retired as a string WHEN validated THEN it is one problem, not a crash', () => {
    const fleet = new Fleet({ name: 'demo', outdir: tempDir(), services: [], installAfterChange: false, retired: 'old-service' as any });
    expect(fleet.validate().map(formatProblem)).toEqual(['retired: must be a list of service names, got "old-service". Fix: write retired: ["old-service"], or leave it out.']);
  });

  test('GIVEN a team blueprint registered under a built-in id WHEN validated THEN it is refused instead of silently replacing the built-in for every service', () => {
    const impostor: Blueprint = { id: 'step-functions-service', description: 'replaces the built-in', validate: () => [], create: () => { throw new Error('never built'); } };
    const notABlueprint = { id: 'Not Kebab' } as unknown as Blueprint;
    const dir = tempDir();
    const fleet = new Fleet({
      name: 'demo', outdir: dir, installAfterChange: false, blueprints: [CONTROL_PLANE, impostor, notABlueprint],
      services: [{ name: 'scan-ingest', blueprint: 'step-functions-service', functions: { 'validate-scan': {} } } as ServiceDeclaration],
    });
    expect(fleet.validate().map(formatProblem)).toEqual([
      'blueprints[1].id: is already the id of the built-in blueprint; a second registration would replace it for every service naming it, got "step-functions-service". Fix: give your blueprint another id, e.g. "step-functions-service-custom", and name that in its services.',
      'blueprints[2]: must be a blueprint: { id (kebab-case), description, validate, create }, got "Not Kebab". Fix: register the blueprint a package exports (npx fleet new blueprint <name> creates one).',
    ]);
    expect(() => fleet.synthOrThrow()).toThrow('has 2 problems; no file was changed');
    expect(listTree(dir)).toEqual([]);
  });
});

describe('file policies written by a hostile manifest author', () => {
  const service = (files: Record<string, string>): ServiceDeclaration => ({ name: 'orders', blueprint: 'step-functions-service', functions: { 'take-order': {} }, files } as ServiceDeclaration);

  test('GIVEN globs that would stall generation (stacked wildcards, an extglob, 70,000 characters) or climb out through a brace list WHEN generated THEN each is refused before any glob is compiled, nothing written', () => {
    const dir = tempDir();
    const long = `src/${'a'.repeat(70_000)}`;
    const files = { 'src/*a*a*a*a*a*a*a*ab': 'never-update', 'src/+(a|aa)*': 'never-update', [long]: 'never-update', '{..,src}/**': 'never-update', 'src/**/*.*.ts': 'never-update' };
    expect(() => synthFleet(dir, { name: 'acme', services: [service(files)] })).toThrow([
      'The fleet manifest (.projenrc.ts) has 4 problems; no file was changed:',
      '  1. services["orders"].files["src/*a*a*a*a*a*a*a*ab"]: has 8 "*" in the folder or file name "*a*a*a*a*a*a*a*ab" (at most 3), which can make matching take minutes, got "src/*a*a*a*a*a*a*a*ab". Fix: write a simpler glob, e.g. "src/functions/**" or "test/**/*.test.ts".',
      '  2. services["orders"].files["src/+(a|aa)*"]: uses an extglob pattern ("+(...)", "*(...)", "?(...)", "@(...)", "!(...)"), which can make matching take exponential time, got "src/+(a|aa)*". Fix: write a simpler glob, e.g. "src/functions/**" or "test/**/*.test.ts".',
      `  3. services["orders"].files["src/${'a'.repeat(76)}..."]: is longer than 256 characters (70004), got "src/${'a'.repeat(76)}...". Fix: write a simpler glob, e.g. "src/functions/**" or "test/**/*.test.ts".`,
      '  4. services["orders"].files["{..,src}/**"]: must be a glob of paths inside the project, relative to it, got "{..,src}/**". Fix: write it relative to the project folder with / between folders, e.g. "src/functions/**".',
    ].join('\n'));
    expect(listTree(dir)).toEqual([]);
  });

  test('GIVEN the control plane\'s stack and stack test handed to the team WHEN generated THEN refused: every SingleStackProject keeps its stack and its guarantees managed', () => {
    const dir = tempDir();
    expect(() => synthFleet(dir, {
      name: 'acme', services: [
        { name: 'control-plane', blueprint: 'control-plane', organizationId: 'o-a1b2c3d4e5', files: { 'src/stack.ts': 'never-update', 'test/*.ts': 'add-only' } } as ServiceDeclaration,
        { name: 'tenant-baseline', blueprint: 'tenant-baseline', centralAccountId: '111111111111', files: { 'test/stack.test.ts': 'three-way-merge' } } as ServiceDeclaration,
      ],
    })).toThrow([
      'The fleet manifest (.projenrc.ts) has 3 problems; no file was changed:',
      '  1. services["control-plane"].files["src/stack.ts"]: would make src/stack.ts the team\'s (never-update), but the blueprint keeps it managed, got "never-update". Fix: narrow the glob so it leaves out src/stack.ts.',
      '  2. services["control-plane"].files["test/*.ts"]: would make test/stack.test.ts the team\'s (add-only), but the blueprint keeps it managed, got "add-only". Fix: narrow the glob so it leaves out test/stack.test.ts.',
      '  3. services["tenant-baseline"].files["test/stack.test.ts"]: would make test/stack.test.ts the team\'s (three-way-merge), but the blueprint keeps it managed, got "three-way-merge". Fix: narrow the glob so it leaves out test/stack.test.ts.',
    ].join('\n'));
    expect(listTree(dir)).toEqual([]);
  });

  test('GIVEN a team\'s workflow that quotes projen\'s marker in a comment WHEN a policy makes it always-update THEN the fleet still refuses to overwrite it, nothing changed', () => {
    const dir = tempDir();
    const fleetWith = (files?: Record<string, string>) => synthFleet(dir, { name: 'acme', services: [{ name: 'orders', blueprint: 'step-functions-service', functions: { 'take-order': {} }, ...(files ? { files } : {}) } as ServiceDeclaration] });
    fleetWith();
    const workflow = path.join(dir, 'projects/orders/src/workflow.ts');
    const ours = 'import { x } from "./x";\n\nexport const mine = 1;\n// the managed files start with "~~ Generated by projen"; this one is ours\nexport const more = 2;\n\nexport default mine;\n';
    writeFileSync(workflow, ours);
    const before = readTree(dir);
    expect(() => fleetWith({ 'src/workflow.ts': 'always-update' })).toThrow(OwnedFileConflictError);
    expect(readTree(dir)).toEqual(before);
    expect(read(dir, 'projects/orders/src/workflow.ts')).toBe(ours);
  });
});
