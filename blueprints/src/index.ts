export * from './errors';
export * from './versions';
export * from './blueprint';
export * from './registry';
export * from './fleet';
export * from './fleet-workspace';
export * from './step-functions-service/options';
export * from './step-functions-service/step-functions-service';
export * from './control-plane';
export * from './tenant-baseline';
export * from './components/managed-text-file';
export * from './components/owned-file';
export * from './components/ownership';
export * from './components/file-policies';
export * from './components/package-json';
export * from './components/typescript-config';
export * from './components/blueprint-projenrc';
export * from './components/github-ci-workflow';
export { checkDrift, DriftCheckError, formatDrift } from './cli/drift';
export type { DriftReport, DriftedFile, UnrecordedFile } from './cli/drift';
export * from './owned';
export { keepCleanupToFileManifest } from './private/cleanup';
// The public kit a team's blueprint is written against (docs/writing-a-blueprint.md).
export * from './components/single-stack-project';
export { ProblemCollector, KEBAB_CASE, pascalCase, camelCase, suggestKebab, assertValidBlueprintOptions, fleetValidated } from './private/checks';
export { tsString, tsJson, commentText, markdownText, markdownCode } from './private/encode';
// Shared facts a blueprint's stack needs (where it is deployed, the function defaults), from @fleet/contracts.
export { DEPLOYMENTS, TENANT_DEPLOYMENT, CENTRAL_DEPLOYMENT, FUNCTION_DEFAULTS } from '@fleet/contracts';
