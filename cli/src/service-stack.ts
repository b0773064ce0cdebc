import { existsSync } from 'fs';
import * as path from 'path';
import type { App, Stack } from 'aws-cdk-lib';
import type { ServiceAppProps, ServiceStack } from '@fleet/workflows';
import { CliError } from './errors';

/** A service's stack, built by the factory its `src/main.ts` declares. */
export interface LoadedStack<T extends Stack = ServiceStack> {
  readonly stack: T;
  readonly app: App;
  /** The module that declared the factory (`<dir>/src/main.ts`). */
  readonly file: string;
}

/** What a local run builds: no CloudFormation validator, no cdk-nag packs, no esbuild (handlers run from source). */
export const LOCAL_RUN: ServiceAppProps = { validation: false, bundling: false };

let tsxRegistered = false;

/**
 * Lets this process require TypeScript: the service's `src/main.ts` and, in local runs, its
 * handler sources. Global (not namespaced) registration: the service must get the same
 * @fleet/workflows and aws-cdk-lib module instances as this CLI.
 */
export function registerTsx(): void {
  if (tsxRegistered) return;
  (require('tsx/cjs/api') as { register(): () => void }).register();
  tsxRegistered = true;
}

/**
 * The one way the CLI builds a service's stack (`fleet run`, `send`, `sfn`, `graph`, `cost`):
 * loads `<dir>/src/main.ts` through tsx and calls the `buildStack(app)` it exports with a
 * `serviceApp(props)` (not synthesized here). The generated app declares how its stack is built;
 * nothing is guessed from class names.
 */
export function loadServiceStack<T extends Stack = ServiceStack>(dir: string, service: string, props: ServiceAppProps = LOCAL_RUN): LoadedStack<T> {
  const file = path.join(dir, 'src', 'main.ts');
  if (!existsSync(file)) {
    throw new CliError({ subject: `Service ${JSON.stringify(service)}`, problem: `has no ${file}`, fix: 'run npx projen at the fleet root to regenerate it' });
  }
  registerTsx();
  // A second load in this process (a long-lived one, or after an edit) must read the files again.
  const own = path.resolve(dir) + path.sep;
  for (const loaded of Object.keys(require.cache)) {
    if (loaded.startsWith(own) && !loaded.includes(`${path.sep}node_modules${path.sep}`)) delete require.cache[loaded];
  }
  const mod = require(file) as { buildStack?: unknown };
  if (typeof mod.buildStack !== 'function') {
    throw new CliError({ subject: file, problem: 'exports no buildStack function', value: describe(mod.buildStack), fix: 'run npx projen at the fleet root to regenerate src/main.ts (it exports buildStack(app))' });
  }
  // The App comes from the service's own @fleet/workflows (and so its aws-cdk-lib), which may be
  // another copy than the CLI's for a service outside the workspace.
  const { serviceApp } = require(require.resolve('@fleet/workflows', { paths: [dir] })) as typeof import('@fleet/workflows');
  const app = serviceApp(props);
  const stack = (mod.buildStack as (app: App) => unknown)(app);
  // Stack.isStack reads a global symbol: true for a Stack of any aws-cdk-lib copy.
  const { Stack: StackClass } = require('aws-cdk-lib') as typeof import('aws-cdk-lib');
  if (!StackClass.isStack(stack)) {
    throw new CliError({ subject: `buildStack in ${file}`, problem: 'must return a Stack', value: describe(stack), fix: 'return the stack it creates in the given app' });
  }
  return { stack: stack as T, app, file };
}

function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (typeof value === 'object') return `an object (${value.constructor?.name ?? 'Object'})`;
  return typeof value;
}

export function listOf(names: string[]): string {
  return names.length === 0 ? '(none)' : names.map((n) => JSON.stringify(n)).join(', ');
}
