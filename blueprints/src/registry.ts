import type { Blueprint } from './blueprint';
import { CONTROL_PLANE } from './control-plane/control-plane';
import { STEP_FUNCTIONS_SERVICE } from './step-functions-service/step-functions-service';
import { TENANT_BASELINE } from './tenant-baseline/tenant-baseline';

/**
 * The blueprints every fleet knows without configuration. The one module that imports them
 * all: `blueprint.ts` (the interface each of them implements) imports none, so dependencies
 * point one way (fleet -> registry -> blueprints -> blueprint interface).
 */
export const DEFAULT_BLUEPRINTS: readonly Blueprint[] = [STEP_FUNCTIONS_SERVICE, CONTROL_PLANE, TENANT_BASELINE];
