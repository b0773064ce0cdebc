/**
 * The public surface of each `@fleet/*` package: the subpaths other packages, generated services
 * and tests may import, each mapped to its compiled module under `lib/`. Everything else under
 * `lib/` is private: Node refuses it (the `exports` map), and test/package-boundaries.test.ts
 * fails on any import of it. Free of imports, so the root tests can read it without projen.
 */
export const PACKAGE_SUBPATHS: Readonly<Record<'contracts' | 'rollout' | 'blueprints' | 'workflows' | 'simulator' | 'cli', Readonly<Record<string, string>>>> = {
  // Shared facts; imports nothing, so every package may import it.
  contracts: {
    '.': 'index',
  },
  // The tenant registry, its validation and the rollout planner: pure, imports only contracts,
  // so the root's tenants.ts and the CLI load it without projen or aws-cdk-lib.
  rollout: {
    '.': 'index',
  },
  blueprints: {
    '.': 'index',
    // Three-way merge of team-owned files (`fleet owned`): no projen on the CLI's path.
    './owned': 'owned-updates',
    // Contained, atomic file writes and the refusal error; free of projen.
    './files': 'files',
    // The scenario test kit of blueprint authors (snapshots, expectFile, expectTask).
    './testing': 'testing/index',
  },
  workflows: {
    '.': 'index',
    // The local Step Functions runtime, without aws-cdk-lib.
    './local': 'local/index',
    // The Step Functions API server (`fleet sfn serve`); never loaded by a service's CDK app.
    './local/api': 'local/api/index',
    './testing': 'testing/index',
    // Runs a synthesized service (the CLI's warm `fleet run`, `send`): no aws-cdk-lib, esbuild or typescript.
    './local-run': 'testing/local-run',
    // EventBridge's pattern language on the laptop, without aws-cdk-lib or the AWS SDK.
    './event-patterns': 'event-patterns/index',
  },
  // The fleet simulator (`fleet rollout simulate`): loads aws-cdk-lib once to synthesize the engine.
  simulator: {
    '.': 'index',
  },
  cli: {
    '.': 'index',
  },
};

/**
 * The package.json fields that draw a package's boundary: `exports` for Node, jest and tsx, and
 * `typesVersions` for `tsc`, whose `moduleResolution: node` (CommonJS) does not read `exports`
 * (https://www.typescriptlang.org/docs/handbook/modules/reference.html#typesversions).
 */
export function packageBoundary(subpaths: Readonly<Record<string, string>>): { exports: Record<string, unknown>; typesVersions: Record<string, Record<string, string[]>> } {
  const exports: Record<string, unknown> = {};
  const typesVersions: Record<string, string[]> = {};
  for (const [subpath, module] of Object.entries(subpaths)) {
    exports[subpath] = { types: `./lib/${module}.d.ts`, default: `./lib/${module}.js` };
    if (subpath !== '.') typesVersions[subpath.slice(2)] = [`lib/${module}.d.ts`];
  }
  exports['./package.json'] = './package.json';
  return { exports, typesVersions: { '*': typesVersions } };
}
