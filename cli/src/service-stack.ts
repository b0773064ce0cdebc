import { existsSync } from 'fs';
import * as path from 'path';
import { CliError } from './errors';

type ServiceStackClass = typeof import('@fleet/workflows').ServiceStack;
type ServiceStackInstance = InstanceType<ServiceStackClass>;

/**
 * Loads the service's src/stack.ts through tsx and builds its ServiceStack subclass in a fresh
 * App (synthesized later, once, by whoever reads its template). Shared by `fleet run` and
 * `fleet send`.
 */
export function loadServiceStack(dir: string, service: string, ServiceStack: ServiceStackClass): { stack: ServiceStackInstance; className: string } {
  const found = findServiceStackClass(dir, service, ServiceStack);
  if (found.classes.length !== 1) {
    throw new CliError(`${found.file} exports ${found.classes.length} ServiceStack subclasses (${listOf(found.classes.map(([n]) => n))}). Fix: export exactly one class extending ServiceStack.`);
  }
  const [className, StackClass] = found.classes[0];
  const { App } = require('aws-cdk-lib') as typeof import('aws-cdk-lib');
  return { stack: new StackClass(new App(), service), className };
}

/** The ServiceStack subclasses src/stack.ts exports (none for a project that is not a service, such as the tenant baseline). */
export function findServiceStackClass(dir: string, service: string, ServiceStack: ServiceStackClass) {
  const file = path.join(dir, 'src', 'stack.ts');
  if (!existsSync(file)) {
    throw new CliError(`Service ${JSON.stringify(service)} has no ${file}. Fix: run npx projen at the fleet root to regenerate it.`);
  }
  require('tsx/cjs/api').register();
  const mod = require(file) as Record<string, unknown>;
  const isStackClass = (value: unknown): value is new (scope: unknown, id: string) => ServiceStackInstance => {
    if (typeof value !== 'function' || !value.prototype) return false;
    if (value.prototype instanceof ServiceStack) return true;
    // A second copy of @fleet/workflows (a service outside the workspace): compare by name.
    for (let p = Object.getPrototypeOf(value.prototype); p; p = Object.getPrototypeOf(p)) {
      if (p.constructor?.name === 'ServiceStack') return true;
    }
    return false;
  };
  const classes = Object.entries(mod).filter(([, value]) => isStackClass(value)) as [string, new (scope: unknown, id: string) => ServiceStackInstance][];
  return { file, classes };
}

export function listOf(names: string[]): string {
  return names.length === 0 ? '(none)' : names.map((n) => JSON.stringify(n)).join(', ');
}
