import { mkdirSync, writeFileSync } from 'fs';
import * as path from 'path';
import { Fleet, formatProblem } from '../src';
import { read, synthFleet, tempDir } from './helpers';

/** A fleet root holding one team blueprint package at `team-blueprints/nightly-report`. */
function fleetRootWithPackage(): string {
  const root = tempDir();
  mkdirSync(path.join(root, 'team-blueprints', 'nightly-report'), { recursive: true });
  writeFileSync(path.join(root, 'team-blueprints', 'nightly-report', 'package.json'), '{ "name": "@fleet-teams/nightly-report-blueprint" }\n');
  return root;
}

describe('Fleet blueprintPackages: a team\'s blueprint package kept in the fleet repository', () => {
  test('GIVEN a package folder WHEN the fleet is generated THEN it is a workspace, built after the fleet\'s packages, type-checked and tested', () => {
    const root = fleetRootWithPackage();
    synthFleet(root, { name: 'demo', services: [], blueprintPackages: ['team-blueprints/nightly-report'] });
    const pkg = JSON.parse(read(root, 'package.json'));
    expect(pkg.workspaces).toContain('team-blueprints/nightly-report');
    expect(pkg.jest.projects).toContain('<rootDir>/team-blueprints/nightly-report');
    const tasks = JSON.parse(read(root, '.projen/tasks.json')).tasks;
    const build = tasks['build:packages'].steps.map((s: { exec: string }) => s.exec);
    expect(build[build.length - 1]).toBe('npm run build --workspace team-blueprints/nightly-report');
    expect(tasks.typecheck.steps.map((s: { exec: string }) => s.exec)).toContain('tsc --noEmit -p team-blueprints/nightly-report/tsconfig.json');
  });

  test('GIVEN folders that are missing, outside the repository or not plain paths WHEN validated THEN each is a problem, before anything is written', () => {
    const fleet = new Fleet({
      name: 'demo', outdir: fleetRootWithPackage(), services: [], installAfterChange: false,
      blueprintPackages: ['team-blueprints/missing', '../elsewhere', 'a b; rm -rf /'],
    });
    expect(fleet.validate().map(formatProblem)).toEqual([
      'blueprintPackages[0]: has no package.json, got "team-blueprints/missing". Fix: name the folder of a blueprint package in this repository, e.g. "team-blueprints/scheduled-job" (npx fleet new blueprint <name> creates one).',
      'blueprintPackages[1]: must be a folder inside the fleet repository, relative to its root, of letters, digits, ".", "_", "-" and "/", got "../elsewhere". Fix: name the folder of a blueprint package in this repository, e.g. "team-blueprints/scheduled-job" (npx fleet new blueprint <name> creates one).',
      'blueprintPackages[2]: must be a folder inside the fleet repository, relative to its root, of letters, digits, ".", "_", "-" and "/", got "a b; rm -rf /". Fix: name the folder of a blueprint package in this repository, e.g. "team-blueprints/scheduled-job" (npx fleet new blueprint <name> creates one).',
    ]);
  });
});
