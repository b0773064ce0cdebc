import { RELEASE_ID_PATTERN } from '@fleet/contracts';
import { AWS_REGIONS } from './aws-regions';
import { DeploymentWindow, WEEKDAYS } from './deployment-window';
import { RegistryProblem, TenantRegistryError } from './registry-problem';
import { RingDeclaration, TenantDeclaration, TenantRegistry } from './tenant-registry';

export interface RegistryContext {
  /** The fleet's tenant services (projects deployed to every tenant account); checks pins and dependencies when given. */
  readonly services?: readonly string[];
}

const NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const ACCOUNT_ID = /^\d{12}$/;
// Organizations API: a root id or an organizational unit id.
const OU = /^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/;
const MAX_CONCURRENCY = 10_000;
// Alarm names end up in ARNs (rollback triggers) and in DescribeAlarms calls: a conservative set
// without ARN separators or IAM wildcards (':', '/', '*', '?'), so a name cannot widen what it addresses.
const ALARM_NAME = /^[A-Za-z0-9 ._+=@,-]{1,255}$/;
const ALARM_NAME_FIX = 'use letters, digits, spaces and . _ + = @ , - only (at most 255 characters), the alarm\'s exact name';

/** Every problem of `registry`, in declaration order; empty when it is valid. */
export function registryProblems(registry: TenantRegistry, context: RegistryContext = {}): RegistryProblem[] {
  const problems: RegistryProblem[] = [];
  const add = (subject: string, problem: string, value: unknown, fix: string) => problems.push({ subject, problem, value, fix });
  const rings: readonly RingDeclaration[] = Array.isArray(registry.rings) ? registry.rings : [];
  const tenants: readonly TenantDeclaration[] = Array.isArray(registry.tenants) ? registry.tenants : [];
  const ringNames = rings.map((r) => r?.name);

  if (rings.length === 0) {
    add('rings', 'must declare at least one ring (the first declared is the canary ring)', registry.rings ?? [], 'declare the rings in deployment order, for example [{ name: "canary", maxConcurrency: 2, bakeMinutes: 60 }, { name: "main", maxConcurrency: 100, bakeMinutes: 120 }]');
  }
  rings.forEach((ring, index) => {
    const subject = `rings[${index}]`;
    if (typeof ring?.name !== 'string' || !NAME.test(ring.name)) {
      add(`${subject}.name`, 'must be lowercase letters and digits separated by single hyphens, starting with a letter', ring?.name, 'name the ring, for example "canary" or "main"');
    } else if (ringNames.indexOf(ring.name) !== index) {
      add(`${subject}.name`, `duplicate ring name, also rings[${ringNames.indexOf(ring.name)}]`, ring.name, 'give each ring its own name');
    }
    const tolerance = ring?.toleratedFailurePercentage;
    if (index === 0 && tolerance !== undefined && tolerance !== 0) {
      add(`${subject}.toleratedFailurePercentage`, 'the canary ring (the first declared) tolerates no failure', tolerance, 'remove it or set it to 0');
    } else if (tolerance !== undefined && !(Number.isFinite(tolerance) && tolerance >= 0 && tolerance <= 100)) {
      add(`${subject}.toleratedFailurePercentage`, 'must be a percentage from 0 to 100', tolerance, 'set a number from 0 to 100');
    }
    if (!isInteger(ring?.maxConcurrency, 1, MAX_CONCURRENCY)) {
      add(`${subject}.maxConcurrency`, `must be a whole number from 1 to ${MAX_CONCURRENCY} (a Distributed Map runs at most ${MAX_CONCURRENCY} children at once)`, ring?.maxConcurrency, 'set how many deployments of the ring run at once, for example 50');
    }
    if (!isInteger(ring?.bakeMinutes, 0, 7 * 24 * 60)) {
      add(`${subject}.bakeMinutes`, 'must be a whole number of minutes from 0 to 10080 (one week)', ring?.bakeMinutes, 'set the bake time before the ring\'s health gate, for example 60');
    }
    if (ring?.minimumExecutions !== undefined && !isInteger(ring.minimumExecutions, 0, Number.MAX_SAFE_INTEGER)) {
      add(`${subject}.minimumExecutions`, 'must be a whole number, 0 or more', ring.minimumExecutions, 'set the executions the ring must see during the bake, or 0 to disable the traffic rule');
    }
    if (ring?.maxWaveSize !== undefined && !isInteger(ring.maxWaveSize, 1, Number.MAX_SAFE_INTEGER)) {
      add(`${subject}.maxWaveSize`, 'must be a whole number, at least 1', ring.maxWaveSize, 'set the largest number of deployments in one wave (each wave decides its failure tolerance alone), or remove it for one wave per ring and dependency level');
    }
    alarmNameProblems(`${subject}.gateAlarmNames`, ring?.gateAlarmNames, add);
    if (ring?.monitoringTimeInMinutes !== undefined && !isInteger(ring.monitoringTimeInMinutes, 0, 180)) {
      add(`${subject}.monitoringTimeInMinutes`, 'must be a whole number from 0 to 180 (CloudFormation RollbackConfiguration)', ring.monitoringTimeInMinutes, 'set the minutes CloudFormation watches the rollback alarms after a deployment');
    }
  });

  const knownServices = context.services;
  const serviceFix = knownServices ? `use one of ${knownServices.map((s) => `"${s}"`).join(', ')}` : 'use the name of a service under projects/';
  const firstById = new Map<string, number>();
  const firstByAccount = new Map<string, string>();
  tenants.forEach((tenant, index) => {
    const validId = typeof tenant?.id === 'string' && NAME.test(tenant.id);
    const subject = validId && firstById.get(tenant.id) === undefined ? `tenants["${tenant.id}"]` : `tenants[${index}]`;
    if (!validId) {
      add(`${subject}.id`, 'must be lowercase letters and digits separated by single hyphens, starting with a letter', tenant?.id, 'name the tenant, for example "acme-logistics"');
    } else if (firstById.has(tenant.id)) {
      add(`${subject}.id`, `duplicate tenant id, also tenants[${firstById.get(tenant.id)}]`, tenant.id, 'give each tenant its own id');
    } else {
      firstById.set(tenant.id, index);
    }
    if (typeof tenant?.accountId !== 'string' || !ACCOUNT_ID.test(tenant.accountId)) {
      add(`${subject}.accountId`, 'must be a 12-digit AWS account id, as a string', tenant?.accountId, 'copy the account id from AWS Organizations, keeping leading zeros (a string, not a number)');
    } else if (firstByAccount.has(tenant.accountId)) {
      add(`${subject}.accountId`, `account id already used by tenant "${firstByAccount.get(tenant.accountId)}"`, tenant.accountId, 'one tenant per account: correct the account id, or remove one of the two tenants');
    } else {
      firstByAccount.set(tenant.accountId, validId ? tenant.id : `tenants[${index}]`);
    }
    if (!AWS_REGIONS.includes(tenant?.homeRegion)) {
      add(`${subject}.homeRegion`, 'not an AWS Region', tenant?.homeRegion, 'use a Region code such as "eu-west-1" or "us-east-1"');
    }
    if (tenant?.extraRegions !== undefined && !Array.isArray(tenant.extraRegions)) {
      add(`${subject}.extraRegions`, 'must be a list of Region codes', tenant.extraRegions, `write it as a list, for example [${JSON.stringify(tenant.extraRegions)}]`);
    }
    (Array.isArray(tenant?.extraRegions) ? tenant.extraRegions : []).forEach((region: string, r: number) => {
      if (!AWS_REGIONS.includes(region)) {
        add(`${subject}.extraRegions[${r}]`, 'not an AWS Region', region, 'use a Region code such as "eu-west-1" or "us-east-1"');
      } else if (region === tenant.homeRegion || tenant.extraRegions!.indexOf(region) !== r) {
        add(`${subject}.extraRegions[${r}]`, 'Region listed twice (the home Region is always deployed)', region, 'remove the repeated Region');
      }
    });
    if (typeof tenant?.organizationalUnit !== 'string' || !OU.test(tenant.organizationalUnit)) {
      add(`${subject}.organizationalUnit`, 'must be an organizational unit id (ou-xxxx-xxxxxxxx) or a root id (r-xxxx)', tenant?.organizationalUnit, 'copy the OU id from AWS Organizations');
    }
    if (!ringNames.includes(tenant?.ring)) {
      add(`${subject}.ring`, 'not a declared ring', tenant?.ring, `use one of ${[...new Set(ringNames)].map((r) => `"${r}"`).join(', ') || '(no ring declared)'}, or declare the ring in rings`);
    } else if (tenant.ring === ringNames[0] && tenant.frozen === true) {
      add(`${subject}.frozen`, `a frozen tenant cannot be in the canary ring "${ringNames[0]}" (the canary takes every release first)`, true, 'move the tenant to a later ring, or unfreeze it');
    }
    if (tenant?.frozen !== undefined && typeof tenant.frozen !== 'boolean') {
      add(`${subject}.frozen`, 'must be true or false', tenant.frozen, 'set frozen: true to stop deployments to the tenant, or remove it');
    }
    for (const [key, value] of Object.entries(tenant?.tags ?? {})) {
      if (typeof value !== 'string' || key.length === 0 || key.length > 128 || value.length > 256) {
        add(`${subject}.tags["${key}"]`, 'must be a string key of 1-128 characters with a string value of at most 256 (AWS tag limits)', value, 'correct the tag');
      }
    }
    for (const [service, releaseId] of Object.entries(tenant?.pinnedReleases ?? {})) {
      if (knownServices && !knownServices.includes(service)) {
        add(`${subject}.pinnedReleases["${service}"]`, 'pins a release of a service the fleet does not have', service, serviceFix);
      } else if (typeof releaseId !== 'string' || !RELEASE_ID_PATTERN.test(releaseId) || !releaseId.startsWith(`${service}-`)) {
        add(`${subject}.pinnedReleases["${service}"]`, `must be a release id of ${service} ("${service}-" and 16 hex digits)`, releaseId, `copy the id printed by npx fleet release ${service}`);
      }
    }
    windowProblems(`${subject}.windows`, tenant?.windows, add);
  });

  if (rings.length > 0 && typeof rings[0]?.name === 'string' && !tenants.some((t) => t?.ring === rings[0].name)) {
    add(`rings[0] ("${rings[0].name}")`, 'the canary ring has no tenants, so no release would be tried before the rest of the fleet', 0, `put at least one representative tenant in ring "${rings[0].name}"`);
  }
  windowProblems('defaultWindows', registry.defaultWindows, add);

  const services = registry.services ?? {};
  for (const [service, declaration] of Object.entries(services)) {
    const subject = `services["${service}"]`;
    if (knownServices && !knownServices.includes(service)) add(subject, 'not a service of the fleet', service, serviceFix);
    (declaration?.dependsOn ?? []).forEach((dependency, d) => {
      if (dependency === service) add(`${subject}.dependsOn[${d}]`, 'a service cannot depend on itself', dependency, 'remove it');
      else if (knownServices && !knownServices.includes(dependency)) add(`${subject}.dependsOn[${d}]`, 'not a service of the fleet', dependency, serviceFix);
    });
    alarmNameProblems(`${subject}.rollbackAlarmNames`, declaration?.rollbackAlarmNames, add);
    if ((declaration?.rollbackAlarmNames ?? []).length > 5) {
      add(`${subject}.rollbackAlarmNames`, 'CloudFormation takes at most 5 rollback triggers', declaration.rollbackAlarmNames!.length, 'keep the 5 alarms that matter most (a composite alarm can combine several)');
    }
  }
  const cycle = dependencyCycle(services);
  if (cycle) add('services', 'the dependencies form a cycle, so no service could go first', cycle.join(' -> '), 'remove one of the dependencies in the cycle');
  return problems;
}

/** Throws `TenantRegistryError` listing every problem; returns the registry when it is valid. */
export function validateRegistry(registry: TenantRegistry, context: RegistryContext = {}): TenantRegistry {
  const problems = registryProblems(registry, context);
  if (problems.length > 0) throw new TenantRegistryError(problems);
  return registry;
}

function windowProblems(subject: string, windows: readonly DeploymentWindow[] | undefined, add: (s: string, p: string, v: unknown, f: string) => void): void {
  if (windows === undefined) return;
  if (windows.length === 0) {
    add(subject, 'an empty list of windows never opens', [], 'remove windows to accept deployments at any time, or declare at least one window');
    return;
  }
  windows.forEach((window, w) => {
    const at = `${subject}[${w}]`;
    const unknownDays = (window?.days ?? []).filter((day) => !(WEEKDAYS as readonly string[]).includes(day));
    if (unknownDays.length > 0) {
      add(`${at}.days`, 'not days of the week', unknownDays, `use ${WEEKDAYS.map((d) => `"${d}"`).join(', ')}`);
    } else if ((window?.days ?? []).length === 0) {
      add(`${at}.days`, 'the window never opens: it lists no day', window?.days ?? [], 'list the days the tenant accepts deployments, for example ["tue", "wed", "thu"]');
    }
    const start = window?.startHourUtc;
    const end = window?.endHourUtc;
    if (!isInteger(start, 0, 23) || !isInteger(end, 1, 24)) {
      add(at, 'startHourUtc must be a whole hour from 0 to 23 and endHourUtc from 1 to 24', { startHourUtc: start, endHourUtc: end }, 'set UTC hours, for example startHourUtc: 2, endHourUtc: 6');
    } else if (end <= start) {
      add(at, 'the window never opens: endHourUtc is not later than startHourUtc (windows do not wrap past midnight)', { startHourUtc: start, endHourUtc: end }, 'make endHourUtc later than startHourUtc, or split a night window into two windows');
    }
  });
}

function isInteger(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

/** A dependency cycle as a path (first service repeated at the end), or undefined. */
function dependencyCycle(services: Readonly<Record<string, { readonly dependsOn?: readonly string[] }>>): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (service: string): string[] | undefined => {
    if (state.get(service) === 'done') return undefined;
    if (state.get(service) === 'visiting') return [...stack.slice(stack.indexOf(service)), service];
    state.set(service, 'visiting');
    stack.push(service);
    for (const dependency of services[service]?.dependsOn ?? []) {
      if (dependency === service) continue;
      const found = visit(dependency);
      if (found) return found;
    }
    stack.pop();
    state.set(service, 'done');
    return undefined;
  };
  for (const service of Object.keys(services).sort()) {
    const found = visit(service);
    if (found) return found;
  }
  return undefined;
}

function alarmNameProblems(subject: string, names: readonly unknown[] | undefined, add: (subject: string, problem: string, value: unknown, fix: string) => void): void {
  (Array.isArray(names) ? names : []).forEach((name, i) => {
    if (typeof name !== 'string' || !ALARM_NAME.test(name)) add(`${subject}[${i}]`, 'not an alarm name this tool accepts', name, ALARM_NAME_FIX);
  });
}
