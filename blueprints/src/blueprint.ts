import { Project } from 'projen/lib/project';
import { CONTROL_PLANE } from './control-plane/control-plane';
import { ManifestProblem } from './errors';
import { adviseStepFunctionsService, validateStepFunctionsServiceOptions } from './step-functions-service/options';
import { StepFunctionsService } from './step-functions-service/step-functions-service';
import { TENANT_BASELINE } from './tenant-baseline/tenant-baseline';

/**
 * What the fleet needs to know about a blueprint: how to check a service's options and how to
 * build the service project. Teams add their own blueprints by passing more of these to `Fleet`.
 */
export interface Blueprint {
  /** The id a manifest entry names in `blueprint`, kebab-case. */
  readonly id: string;
  /** One line for error messages and docs. */
  readonly description: string;
  /**
   * Every problem with a service's options (the manifest entry without `blueprint`).
   * `subject` locates the entry in the manifest, e.g. `services["scan-ingest"]`.
   */
  validate(options: unknown, subject: string): ManifestProblem[];
  /** Warnings for valid options (printed, not fatal). */
  advise?(options: any, subject: string): string[];
  /** Builds the service project in `outdir`. Only called with options that `validate` accepted. */
  create(options: any, outdir: string): Project;
}

/** The `StepFunctionsService` blueprint as the fleet sees it. */
export const STEP_FUNCTIONS_SERVICE: Blueprint = {
  id: StepFunctionsService.BLUEPRINT_ID,
  description: 'Lambda functions orchestrated by a Standard state machine, EventBridge routes, one DynamoDB table',
  validate: validateStepFunctionsServiceOptions,
  advise: adviseStepFunctionsService,
  create: (options, outdir) => new StepFunctionsService({ ...options, outdir }),
};

/** The blueprints every fleet knows without configuration. */
export const DEFAULT_BLUEPRINTS: readonly Blueprint[] = [STEP_FUNCTIONS_SERVICE, CONTROL_PLANE, TENANT_BASELINE];
