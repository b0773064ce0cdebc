import { App, AppProps } from 'aws-cdk-lib';
import { BUNDLING_STACKS } from 'aws-cdk-lib/cx-api';
import { IConstruct } from 'constructs';

/**
 * Context key read by `ServiceStack`: `false` leaves the cdk-nag packs (fleet guardrails and
 * AwsSolutions) unregistered. Absent means on, so a plain `new App()` stays fully checked.
 */
export const FLEET_CHECKS_CONTEXT = '@fleet/workflows:checks';

/**
 * aws-cdk-lib's context flag that makes errors of its built-in CloudFormation validator fail
 * synthesis; without it they are downgraded to warnings (core/lib/private/synthesis-validation.js,
 * aws-cdk-lib 2.276).
 */
export const CFN_VALIDATION_ERRORS_FAIL_CONTEXT = '@aws-cdk/core:validateAgainstDefaultRules';

/** Options of `serviceApp`. */
export interface ServiceAppProps {
  /**
   * Run the checks at synthesis: aws-cdk-lib's CloudFormation validator (errors fail) and the
   * cdk-nag packs. The build (`npx projen build`: `tsx src/main.ts` and the stack test) checks;
   * local runs (`fleet run`, `send`, `sfn`, `graph`, `cost`) read the same template unchecked,
   * because the validator costs seconds per stack and says nothing about a local run.
   *
   * @default true
   */
  readonly validation?: boolean;

  /**
   * Bundle the handlers with esbuild. Local runs call the handler sources in-process and never
   * read the bundle, so they skip it (CDK's own `aws:cdk:bundling-stacks` context, read through
   * `Stack.bundlingRequired`).
   *
   * @default true
   */
  readonly bundling?: boolean;

  /** @default - CDK_OUTDIR, else a temporary folder */
  readonly outdir?: string;
}

/** The App a service's `buildStack` receives: checks and bundling on for the build, off for local runs. */
export function serviceApp(props: ServiceAppProps = {}): App {
  const validation = props.validation ?? true;
  const context: AppProps['context'] = { [FLEET_CHECKS_CONTEXT]: validation };
  if (validation) context[CFN_VALIDATION_ERRORS_FAIL_CONTEXT] = true;
  if (props.bundling === false) context[BUNDLING_STACKS] = [];
  return new App({ outdir: props.outdir, builtinCloudFormationValidation: validation, context });
}

/** Whether the App holding `scope` runs the fleet's cdk-nag packs (see `FLEET_CHECKS_CONTEXT`). */
export function fleetChecksEnabled(scope: IConstruct): boolean {
  const value = scope.node.tryGetContext(FLEET_CHECKS_CONTEXT);
  return value !== false && value !== 'false';
}

/**
 * What a service's `src/main.ts` exports as `buildStack`: builds the service's one stack in the
 * given App. The fleet CLI and the tests build the stack through it, never by looking for a class.
 */
export type ServiceStackFactory<T = unknown> = (app: App) => T;
