/**
 * Child-process helper of the generation tests: synthesizes the stacks of generated projects
 * with the real aws-cdk-lib (and the real @fleet/workflows constructs, guardrails included) and
 * prints, per stack, its CloudFormation resource count and the construct ids at its top level.
 *
 *   node --require tsx/cjs test/synth-stacks.ts '[{"dir": "...", "id": "scan-ingest"}]'
 *
 * A child process, because the generated projects live outside this repository (their
 * node_modules is a symlink to ours) and tsx loads their TypeScript as the services' own
 * `npx projen synth` does.
 */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';

interface StackToSynth {
  readonly dir: string;
  readonly id: string;
  /**
   * Synthesize in the build's App, with the checks (the CloudFormation validator, the cdk-nag
   * packs) and bundling (esbuild) on; the default. `false`: the App the fleet CLI uses,
   * `serviceApp({ validation: false, bundling: false })`, which gives the same resources, ids,
   * descriptions and event patterns (what this helper prints) at a sixth of the CPU, for tests
   * that assert those and not the checks.
   */
  readonly checks?: boolean;
}

export interface SynthesizedStack {
  readonly id: string;
  readonly resources: number;
  readonly resourceTypes: Record<string, number>;
  readonly childIds: string[];
  /** `Description` of every Lambda function, in template order. */
  readonly functionDescriptions: (string | undefined)[];
  /** `EventPattern` of every EventBridge rule, in template order. */
  readonly eventPatterns: unknown[];
}

function main(stacks: StackToSynth[]): void {
  // Resolve aws-cdk-lib as the generated code does (through the project's node_modules), so the
  // App and the stack classes come from one module instance.
  // The stack is built as every fleet command builds it: by the buildStack its src/main.ts
  // exports, in the build's App (checks and bundling on) unless `checks` is false.
  const results: SynthesizedStack[] = stacks.map(({ dir, id, checks = true }) => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { serviceApp } = require(require.resolve('@fleet/workflows', { paths: [dir] }));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { buildStack } = require(path.join(dir, 'src', 'main.ts'));
    const outdir = mkdtempSync(path.join(tmpdir(), 'fleet-synth-'));
    const app = checks ? serviceApp({ outdir }) : serviceApp({ outdir, validation: false, bundling: false });
    const stack = buildStack(app);
    const template = app.synth().getStackByName(stack.stackName).template;
    rmSync(outdir, { recursive: true, force: true });
    const resources = Object.values<any>(template.Resources ?? {});
    const resourceTypes: Record<string, number> = {};
    for (const resource of resources) resourceTypes[resource.Type] = (resourceTypes[resource.Type] ?? 0) + 1;
    return {
      id,
      resources: resources.length,
      resourceTypes,
      childIds: stack.node.children.map((child: any) => child.node.id),
      functionDescriptions: resources.filter((r) => r.Type === 'AWS::Lambda::Function').map((r) => r.Properties.Description),
      eventPatterns: resources.filter((r) => r.Type === 'AWS::Events::Rule').map((r) => r.Properties.EventPattern),
    };
  });
  process.stdout.write(`${JSON.stringify(results)}\n`);
}

main(JSON.parse(process.argv[2]));
