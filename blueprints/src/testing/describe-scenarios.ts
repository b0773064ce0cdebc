import type { Blueprint } from '../blueprint';
import { GeneratedProject } from './generated-project';
import { loadScenarios, Scenario } from './scenarios';

/** The jest globals the suite uses; looked up when called, so the module loads outside jest too. */
interface JestGlobals {
  describe(name: string, body: () => void): void;
  test: { (name: string, body: () => void): void; each(cases: readonly unknown[]): (name: string, body: (item: any) => void) => void };
  expect(value: unknown): { toMatchSnapshot(): void };
}

export interface DescribeScenariosOptions {
  /**
   * The suite title: each scenario is described as `<title>, scenario "<name>"`.
   * @default the blueprint id
   */
  readonly title?: string;
  /**
   * Snapshot every generated file (one jest snapshot per file, `generates <file> as snapshotted`).
   * @default true
   */
  readonly snapshot?: boolean;
}

/**
 * A jest suite over a folder of scenarios: for each scenario file (`{ "name", "options" }`), the
 * blueprint's project is synthesized by projen in a temporary folder, every generated file is
 * snapshotted, and `body` asserts the keys that matter with the project's helpers
 * (`project.expectFile('src/stack.ts').toContain(...)`, `project.expectTask('build').toSpawn('compile')`).
 * Call it at the top level of a test file.
 */
export function describeScenarios(blueprint: Blueprint, folder: string, body?: (project: GeneratedProject, scenario: Scenario) => void, options: DescribeScenariosOptions = {}): void {
  const { describe, test, expect } = globalThis as unknown as JestGlobals;
  for (const scenario of loadScenarios(folder)) {
    describe(`${options.title ?? blueprint.id}, scenario "${scenario.name}"`, () => {
      const project = GeneratedProject.synthesize(blueprint, scenario);
      if (options.snapshot ?? true) {
        test.each(Object.keys(project.files))('generates %s as snapshotted', (file: string) => {
          expect(project.files[file]).toMatchSnapshot();
        });
      }
      body?.(project, scenario);
    });
  }
}
