import { TENANT_DEPLOYMENT } from '@fleet/contracts';
import { existsSync, readFileSync } from 'fs';
import * as path from 'path';
import { Command, InvalidArgumentError } from 'commander';
import { CliError } from '../errors';
import { findFleetRoot, isServiceFolder, listServices, locateService, serviceDir } from '../fleet-root';
import { duration, indent, jsonReplacer, table, traceTable } from '../print';
import { synthesizedService } from '../synthesis-cache';

type SendEventResult = import('@fleet/workflows').SendEventResult;
type TargetDelivery = import('@fleet/workflows').TargetDelivery;

/** What `--json` prints as the last line. */
export interface SendSummary {
  readonly status: 'DELIVERED' | 'FAILED' | 'UNROUTED';
  readonly deliveries: { service: string; rule: string; target: string; kind: string; status: string; depth: number }[];
  readonly centralFailures: unknown[];
  readonly unrouted: string[];
}

interface SendOptions {
  readonly service?: string;
  readonly event?: string;
  readonly seed?: string;
  readonly account?: string;
  readonly maxDepth?: number;
  readonly logLevel?: string;
  readonly json?: boolean;
}

const EXAMPLES = `
Examples:
  $ npx fleet send --event projects/scan-ingest/events/scan-uploaded.json
      one Scan Uploaded, delivered by every tenant service's rules: scan-ingest's workflow and shift-reports' tally-scan
  $ npx fleet send --service device-registry --event projects/device-registry/events/device-heartbeat.json
      only device-registry's rules: the heartbeat goes to the record-heartbeat function, not the workflow
  $ npx fleet send --event put-events-entry.json --account 444455556666
      a PutEvents entry ({"Source", "DetailType", "Detail"}): the envelope is built for that tenant

Exit status: 0 when every delivery succeeded, 1 when one failed, an event was stopped by --max-depth, or the command could not run.`;

/** `fleet send`: one tenant account on this machine, the event routed by the services' own rules. */
export function registerSend(program: Command): void {
  program
    .command('send')
    .summary('deliver an event as a tenant account would, by the services\' own EventBridge rules')
    .description(
      [
        'Put an event on a local tenant account\'s default bus and deliver it to every target of every',
        'matching rule in the synthesized stacks of the fleet\'s tenant services (or of --service), as AWS',
        'would: a state machine execution, or an asynchronous Lambda invocation with the function\'s',
        'retries, maximum event age and on-failure destination. Input paths and input transformers apply.',
        '',
        'The services share one embedded DynamoDB, one virtual clock and one bus: events their handlers',
        'or workflows put on the default bus are routed again (up to --max-depth). Prints one trace per',
        'target, the items in each table, and what reached the central failure bus as the message the',
        'central DLQ would hold.',
      ].join('\n'),
    )
    .option('-s, --service <name>', 'only this service\'s rules (default: every tenant service of the fleet)')
    .requiredOption('-e, --event <file>', 'JSON file: an EventBridge event (source, detail-type, detail), or a PutEvents entry (Source, DetailType, Detail)')
    .option('--seed <file>', 'JSON items to write first, into the tables of the service the event file belongs to (or --service): { "<table>": [items] } or [items] (default: events/seed/<event file name> beside the event, when it exists)')
    .option('--account <id>', 'the tenant account (default: the event\'s account, else 123456789012)')
    .option('--max-depth <n>', 'how many events deep a chain of events put by targets is routed (default: 8)', parseDepth)
    .option('--log-level <level>', 'POWERTOOLS_LOG_LEVEL of the handlers (default: $POWERTOOLS_LOG_LEVEL, else WARN)')
    .option('--json', 'print {"status","deliveries","centralFailures","unrouted"} as the last line')
    .addHelpText('after', EXAMPLES)
    .action(async (options: SendOptions) => {
      const summary = await send(options);
      process.exitCode = summary.status === 'DELIVERED' ? 0 : 1;
    });
}

function parseDepth(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 100) throw new InvalidArgumentError(`must be a whole number from 0 to 100, got ${JSON.stringify(value)}.`);
  return n;
}

async function send(options: SendOptions): Promise<SendSummary> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const eventFile = options.event!;
  const event = readJson(eventFile, '--event', 'an EventBridge event or a PutEvents entry');
  const targets = tenantServices(options.service);
  const owner = seedOwner(eventFile, options.service, targets.map((t) => t.name));
  const seedFile = options.seed ?? conventionalSeed(eventFile);
  if (options.seed !== undefined && owner === undefined) {
    throw new CliError(`--seed ${JSON.stringify(options.seed)}: which service's tables? The event file is not in a service's folder. Fix: add --service <name>, or keep the event in projects/<service>/events/.`);
  }
  const seed = seedFile !== undefined && owner !== undefined ? readJson(seedFile, '--seed', 'items by table') : undefined;
  if (seed !== undefined && options.seed === undefined) process.stdout.write(`Seeding ${owner}'s tables from ${seedFile} (the event's seed file)\n`);

  const workflows = await import('@fleet/workflows');
  const started = Date.now();
  const stacks = targets.map(({ dir, name }) => synthesizedService(dir, name).service);
  if (stacks.length === 0) {
    throw new CliError(`No service with EventBridge rules to send to: none of ${targets.map((t) => t.name).join(', ')} exports a ServiceStack. Fix: name a service built from the step-functions-service blueprint with --service.`);
  }
  const result = await guard(() => workflows.sendEvent(stacks, event, {
    accountId: options.account,
    maxDepth: options.maxDepth,
    seed: seed === undefined ? undefined : { [owner!]: seed as any },
    logLevel: options.logLevel ?? process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
  }));
  printResult(result, stacks.map((s) => s.serviceName), eventFile, Date.now() - started);

  const failed = result.deliveries.some((d) => d.status !== 'SUCCEEDED');
  const summary: SendSummary = {
    status: result.unrouted.length > 0 ? 'UNROUTED' : failed ? 'FAILED' : 'DELIVERED',
    deliveries: result.deliveries.map((d) => ({ service: d.service, rule: d.rule.path, target: d.target.path, kind: d.kind, status: d.status, depth: d.depth })),
    centralFailures: result.centralFailures.map((f) => f.message),
    unrouted: result.unrouted.map((u) => u.reason),
  };
  if (options.json) process.stdout.write(`${JSON.stringify(summary, jsonReplacer)}\n`);
  return summary;
}

/** The tenant services to route by: the one named, the fleet's (fleet.deployedTo every-tenant-account), or the service folder we are in. */
function tenantServices(name: string | undefined): { dir: string; name: string }[] {
  if (name !== undefined || isServiceFolder(process.cwd())) {
    const located = locateService(name);
    return [{ dir: located.dir, name: located.name }];
  }
  const root = findFleetRoot();
  const services = listServices(root, TENANT_DEPLOYMENT);
  if (services.length === 0) {
    throw new CliError(`No tenant services under ${path.join(root, 'projects')}. Fix: add one to .projenrc.ts and run npx projen.`);
  }
  return services.map((s) => ({ dir: serviceDir(root, s), name: s }));
}

/** The service whose tables a seed fills: --service, or the service whose folder holds the event file. */
function seedOwner(eventFile: string, service: string | undefined, services: string[]): string | undefined {
  if (service !== undefined) return services[0];
  const full = path.resolve(eventFile);
  return services.find((s) => full.includes(`${path.sep}projects${path.sep}${s}${path.sep}`)) ?? (services.length === 1 ? services[0] : undefined);
}

function conventionalSeed(eventFile: string): string | undefined {
  const candidate = path.join(path.dirname(eventFile), 'seed', path.basename(eventFile));
  return existsSync(candidate) ? candidate : undefined;
}

function readJson(file: string, option: string, what: string): unknown {
  const full = path.resolve(file);
  if (!existsSync(full)) {
    throw new CliError(`${option} ${JSON.stringify(file)}: no such file (looked at ${full}). Fix: give the path of ${what}, relative to ${process.cwd()} or absolute.`);
  }
  try {
    return JSON.parse(readFileSync(full, 'utf8'));
  } catch (error) {
    throw new CliError(`${option} ${JSON.stringify(file)}: not valid JSON (${(error as Error).message}). Fix: make the file ${what} in JSON.`);
  }
}

async function guard<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const name = (error as Error)?.name;
    if (name === 'LocalRuntimeConfigError' || name === 'DefinitionError') throw new CliError((error as Error).message);
    throw error;
  }
}

function printResult(result: SendEventResult, services: string[], eventFile: string, realMs: number): void {
  const out: string[] = [];
  const e = result.event;
  out.push(`Event ${JSON.stringify(e['detail-type'])} from ${e.source} (${eventFile}) on the default bus of tenant ${result.account} in ${result.region}`);
  out.push(`Rules of ${services.join(', ')}`, '');
  const rows = result.routed.map((r, i) => [
    String(i + 1),
    String(r.depth),
    `${r.event['detail-type']} (${r.event.source})`,
    r.from.kind === 'sent' ? 'sent' : `${r.from.service} ${r.from.target}`,
    r.rules.join(', ') || '(no rule matches)',
  ]);
  out.push(...table(['#', 'depth', 'event', 'put by', 'matching rules'], rows));

  result.deliveries.forEach((d, i) => {
    out.push('', `Delivery ${i + 1}: ${d.service} rule ${d.rule.path} -> ${describeTarget(d)}${d.depth ? ` (depth ${d.depth})` : ''}`);
    if (d.kind === 'state-machine') {
      out.push(...traceTable(d.execution.trace));
      out.push(`  ${d.execution.status}${d.execution.error ? `: ${d.execution.error}` : ''} (virtual ${d.execution.startTime} .. ${d.execution.endTime})`);
      if (d.execution.cause) out.push(`  Cause: ${d.execution.cause}`);
      if (d.execution.status === 'SUCCEEDED') out.push('  Output:', indent(JSON.stringify(d.execution.output ?? null, jsonReplacer, 2), '    '));
    } else {
      const c = d.asyncConfig;
      out.push(`  asynchronous invocation: MaximumRetryAttempts ${c.maximumRetryAttempts}, MaximumEventAgeInSeconds ${c.maximumEventAgeInSeconds}, on failure ${c.onFailure ?? '(no destination)'}`);
      out.push(...table(['attempt', 'virtual time', 'result'], d.attempts.map((a) => [
        String(a.attempt), a.time.slice(11, 23), a.status === 'SUCCEEDED' ? `ok ${JSON.stringify(a.result ?? null, jsonReplacer)}` : `failed ${a.error?.errorType}: ${a.error?.errorMessage}`,
      ])));
      out.push(`  ${d.outcome === 'Success' ? 'SUCCEEDED' : `FAILED (${d.outcome})`}`);
    }
    for (const put of d.eventsPut) out.push(`  put ${JSON.stringify(put['detail-type'])} from ${put.source}`);
  });
  if (result.deliveries.length === 0) out.push('', 'No rule matches this event: in AWS it would be delivered nowhere in these services.');

  for (const t of result.tableSnapshots) {
    out.push('', `DynamoDB table ${t.service}/${t.logicalId} (${t.path}): ${t.items.length} item${t.items.length === 1 ? '' : 's'}`);
    for (const item of t.items) out.push(`  ${JSON.stringify(item, jsonReplacer)}`);
  }
  out.push('', `Central failure bus: ${result.centralFailures.length === 0 ? 'nothing arrived' : `${result.centralFailures.length} event${result.centralFailures.length === 1 ? '' : 's'} (as the central DLQ message)`}`);
  for (const f of result.centralFailures) out.push(`  ${JSON.stringify(f.message, jsonReplacer)}`);
  for (const o of result.otherDestinations) out.push('', `Sent to ${o.destination} (not delivered locally): ${JSON.stringify(o.event, jsonReplacer)}`);
  for (const u of result.unrouted) out.push('', `Not routed: ${u.reason}`);
  const failed = result.deliveries.filter((d) => d.status !== 'SUCCEEDED').length;
  out.push('', `${result.deliveries.length} deliver${result.deliveries.length === 1 ? 'y' : 'ies'}, ${failed} failed, after ${duration(realMs)} real time, synthesis included`);
  process.stdout.write(`${out.join('\n')}\n`);
}

function describeTarget(d: TargetDelivery): string {
  return d.kind === 'state-machine' ? `state machine ${d.target.path}` : `function ${d.handlerName} (${d.target.path})`;
}
