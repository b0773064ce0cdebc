import { FLEET_RECOVERY_ROLE_NAME } from '@fleet/contracts';
import { SQSClient } from '@aws-sdk/client-sqs';
import { STSClient } from '@aws-sdk/client-sts';
import { Command } from 'commander';
import { DlqQueue, queueRegion } from '../dlq/dlq-queue';
import { failedFunctionArn, FailureMessage } from '../dlq/failure-message';
import { findMessage, listMessages } from '../dlq/inspect';
import { purge } from '../dlq/purge';
import { Clock, RateLimiter, SYSTEM_CLOCK } from '../dlq/rate-limiter';
import { RedriveOutcome, redrive } from '../dlq/redrive';
import { AssumedRoleAccess, DEFAULT_TENANT_CLIENTS, TenantClientFactory } from '../dlq/tenant-access';
import { CliError } from '../errors';
import { formatWarning, table, TableOptions } from '../print';

/** The DLQ tables: flush left, a rule under the header. */
const DLQ_TABLE: TableOptions = { indent: '', rule: true };

/** Environment variables `fleet dlq` reads when the option is not given. */
export const DLQ_ENV = {
  QUEUE_URL: 'FLEET_DLQ_URL',
  QUARANTINE_URL: 'FLEET_DLQ_QUARANTINE_URL',
} as const;

/** The AWS clients and the clock, replaceable in tests. */
export interface DlqCommandDeps {
  sqs(region: string): SQSClient;
  sts(region: string): STSClient;
  /** The EventBridge, Lambda and Step Functions clients of a tenant session. */
  readonly tenantClients: TenantClientFactory;
  readonly clock: Clock;
  readonly env: NodeJS.ProcessEnv;
  write(text: string): void;
}

export const DEFAULT_DLQ_DEPS: DlqCommandDeps = {
  sqs: (region) => new SQSClient({ region }),
  sts: (region) => new STSClient({ region }),
  tenantClients: DEFAULT_TENANT_CLIENTS,
  clock: SYSTEM_CLOCK,
  env: process.env,
  write: (text) => process.stdout.write(text),
};

interface QueueOptions { queueUrl?: string; visibilityTimeout?: string }
interface ListOptions extends QueueOptions { tenant?: string; max?: string; json?: boolean }
interface RedriveCliOptions extends QueueOptions {
  tenant?: string; messageId?: string; dryRun?: boolean; rate?: string; max?: string; quarantineQueueUrl?: string; roleName?: string;
}
interface PurgeCliOptions extends QueueOptions { tenant?: string; yes?: boolean; dryRun?: boolean; max?: string }

const TENANT_HELP = 'the tenant: its 12-digit AWS account id (the envelope account of its messages)';
const QUEUE_HELP = `the central DLQ URL (the FailureQueueUrl output of the control-plane stack); default: $${DLQ_ENV.QUEUE_URL}`;

/** `fleet dlq list|show|redrive|purge`: inspect and recover the central DLQ, one tenant at a time. */
export function registerDlq(program: Command, deps: DlqCommandDeps = DEFAULT_DLQ_DEPS): void {
  const dlq = program
    .command('dlq')
    .summary('inspect the central DLQ and redeliver failed events into the tenant account they came from')
    .description([
      'The central DLQ holds the failed invocations (Lambda on-failure records) and failed executions (Workflow Failed events) of every tenant account. The tenant of a message is the account of its event envelope, which AWS sets; nothing in the payload decides it.',
      '',
      'The tenant accounts\' own rules put the events they could not deliver into a queue apart, named <failure bus>-tenant-dead-letters (the TenantDeadLetterQueueUrl output); pass it as --queue-url. Any rule of the organization may write there, so in it only EventBridge\'s own dead letters (a bare event with a RULE_ARN attribute naming a rule of the event\'s account) are trusted; everything else is quarantined.',
      '',
      'redrive delivers a message back only into that account, through the account\'s FleetRecoveryRole, and deletes it only once AWS accepted the redelivery. A message with no envelope account, or whose payload names another account, is quarantined: moved to the quarantine queue, never redriven. See docs/failure-path.md.',
    ].join('\n'))
    .addHelpText('after', [
      '',
      'Examples:',
      `  export ${DLQ_ENV.QUEUE_URL}=https://sqs.eu-west-1.amazonaws.com/999988887777/fleet-failures`,
      '  npx fleet dlq list',
      '  npx fleet dlq redrive --tenant 111122223333 --dry-run',
      '  npx fleet dlq redrive --tenant 111122223333 --rate 5 --max 200',
      '',
    ].join('\n'));

  withQueueOptions(dlq.command('list'))
    .summary('count the messages per tenant (or list one tenant\'s messages)')
    .description('Reads the queue (each message once), groups the messages by envelope account and shows what failed. Nothing is changed; the messages read are made visible again at the end.')
    .option('--tenant <account>', `list only this tenant's messages, one per line (${TENANT_HELP})`)
    .option('--max <n>', 'read at most n messages', '1000')
    .option('--json', 'print the messages as JSON')
    .addHelpText('after', '\nExamples:\n  npx fleet dlq list\n  npx fleet dlq list --tenant 111122223333\n  npx fleet dlq list --queue-url https://sqs.eu-west-1.amazonaws.com/999988887777/fleet-failures --json\n')
    .action(async (options: ListOptions) => {
      const queue = openQueue('list', options, deps);
      const tenant = options.tenant === undefined ? undefined : parseTenant('list', options.tenant);
      const result = await listMessages(queue, { tenant, max: parseCount('list', '--max', options.max ?? '1000') });
      deps.write(options.json ? `${JSON.stringify(result.messages.map(summaryOf), null, 2)}\n` : renderList(result, tenant) + scanNotes(queue));
      checkScan('list', queue);
    });

  withQueueOptions(dlq.command('show'))
    .summary('print one message: its tenant, what failed, the checks, the body')
    .argument('<message-id>', 'the SQS message id (from fleet dlq list --tenant <account>)')
    .addHelpText('after', '\nExamples:\n  npx fleet dlq show 5fea7756-0ea4-451a-a703-a558b933e274\n')
    .action(async (messageId: string, options: QueueOptions) => {
      const queue = openQueue('show', options, deps);
      const message = await findMessage(queue, messageId);
      if (!message) checkScan('show', queue);
      if (!message) {
        throw new CliError(`fleet dlq show: message ${JSON.stringify(messageId)} is not in ${queue.url}. Fix: copy an id from \`fleet dlq list --tenant <account>\`; a message being processed by someone else is hidden until its visibility timeout ends.`);
      }
      deps.write(renderShow(message));
    });

  withQueueOptions(dlq.command('redrive'))
    .summary('deliver a tenant\'s failed events back into that tenant\'s account')
    .description([
      'For each message of the tenant: assume arn:aws:iam::<tenant>:role/<role-name> (the FleetRecoveryRole of the tenant-baseline stack), redeliver in the region the message came from, and delete the message only once AWS accepted the redelivery. A failed delivery leaves the message in the queue.',
      '',
      'How each kind is redelivered, inside the tenant account only:',
      '  failed invocation (Lambda on-failure record)  Lambda Invoke of the same function with the payload it failed on, InvocationType Event (StatusCode 202 = accepted); only that function runs again',
      '  event a tenant rule could not deliver         PutEvents of the event itself on the default bus (RULE_ARN must be a rule of the event\'s account and region)',
      '  Workflow Failed                               StartExecution of the same state machine with the failed execution\'s input (DescribeExecution), named redrive-<event id>: a redrive run twice never starts it twice',
      '',
      'Quarantined instead (moved to --quarantine-queue-url, or left in the queue without one), never redriven: a message with no envelope account, or whose payload names another account (requestContext.functionArn, the original event\'s account or resources, account fields or ARNs anywhere in detail).',
      '',
      'Not redelivered (left in the queue, with the reason): rule dead letters of AWS sources (aws.* cannot be put), events or payloads over the PutEvents/Invoke size limits, records that name no function or execution. Handlers must be idempotent: EventBridge is at-least-once anyway, and a redelivery may follow a partial success.',
      '',
      'A message quarantined once (FLEET_QUARANTINE_CODE attribute) is never redriven, whichever queue it is read from.',
    ].join('\n'))
    .option('--tenant <account>', TENANT_HELP)
    .option('--message-id <id>', 'redrive only this message')
    .option('--dry-run', 'say what would happen; deliver, delete and move nothing')
    .option('--rate <per-second>', 'at most this many deliveries per second', '10')
    .option('--max <n>', 'act on at most n messages', '100')
    .option('--quarantine-queue-url <url>', `where quarantined messages are moved; default: $${DLQ_ENV.QUARANTINE_URL}; without one they stay in the DLQ`)
    .option('--role-name <name>', 'the role assumed in the tenant account', FLEET_RECOVERY_ROLE_NAME)
    .addHelpText('after', [
      '',
      'Examples:',
      '  npx fleet dlq redrive --tenant 111122223333 --dry-run',
      '  npx fleet dlq redrive --tenant 111122223333 --rate 2 --max 50',
      '  npx fleet dlq redrive --tenant 111122223333 --message-id 5fea7756-0ea4-451a-a703-a558b933e274',
      '',
    ].join('\n'))
    .action(async (options: RedriveCliOptions) => {
      const tenant = parseTenant('redrive', requireOption('redrive', '--tenant <account>', options.tenant, 'name the tenant whose messages to redeliver, e.g. --tenant 111122223333'));
      const rate = parseRate(options.rate ?? '10');
      const max = parseCount('redrive', '--max', options.max ?? '100');
      const queue = openQueue('redrive', options, deps);
      const quarantineQueueUrl = options.quarantineQueueUrl ?? nonEmpty(deps.env[DLQ_ENV.QUARANTINE_URL]);
      if (quarantineQueueUrl !== undefined) checkQueueUrl('redrive', '--quarantine-queue-url', quarantineQueueUrl);
      const region = queueRegion(queue.url)!;
      const report = await redrive(
        { tenant, messageId: options.messageId, dryRun: options.dryRun ?? false, max, quarantineQueueUrl },
        {
          queue,
          access: new AssumedRoleAccess({ sts: deps.sts(region), roleName: options.roleName ?? FLEET_RECOVERY_ROLE_NAME, makeClients: deps.tenantClients }),
          limiter: new RateLimiter(rate, deps.clock),
        },
      );
      deps.write(renderRedrive(report.outcomes, report.otherTenants, tenant, options.dryRun ?? false, quarantineQueueUrl) + scanNotes(queue));
      checkScan('redrive', queue);
      const failed = report.outcomes.filter((o) => o.result === 'failed' || o.result === 'quarantine-failed');
      if (failed.length > 0) {
        throw new CliError(`fleet dlq redrive: ${failed.length} message${failed.length === 1 ? '' : 's'} could not be redelivered or quarantined and stay in the queue (reasons above). Fix: correct the cause and run the same command again.`);
      }
      if (options.messageId !== undefined && report.outcomes.length === 0) {
        throw new CliError(`fleet dlq redrive: message ${JSON.stringify(options.messageId)} of tenant ${tenant} is not in ${queue.url}. Fix: check the id and the tenant with \`fleet dlq list --tenant ${tenant}\`.`);
      }
    });

  withQueueOptions(dlq.command('purge'))
    .summary('delete a tenant\'s messages (needs --yes)')
    .description('Deletes the messages whose envelope account is the tenant, and only those. Cannot be undone. Messages a redrive would quarantine (their payload names another account) are kept as evidence.')
    .option('--tenant <account>', TENANT_HELP)
    .option('--yes', 'confirm: delete them')
    .option('--dry-run', 'count what would be deleted; delete nothing')
    .option('--max <n>', 'delete at most n messages', '10000')
    .addHelpText('after', '\nExamples:\n  npx fleet dlq purge --tenant 111122223333 --dry-run\n  npx fleet dlq purge --tenant 111122223333 --yes\n')
    .action(async (options: PurgeCliOptions) => {
      const tenant = parseTenant('purge', requireOption('purge', '--tenant <account>', options.tenant, 'name the tenant whose messages to delete, e.g. --tenant 111122223333'));
      const max = parseCount('purge', '--max', options.max ?? '10000');
      if (!options.yes && !options.dryRun) {
        throw new CliError(`fleet dlq purge: deleting tenant ${tenant}'s messages cannot be undone, and --yes was not given. Fix: look at them with \`fleet dlq list --tenant ${tenant}\` (or --dry-run), then add --yes.`);
      }
      const queue = openQueue('purge', options, deps);
      const report = await purge({ tenant, dryRun: options.dryRun ?? false, max }, queue);
      const lines = [
        options.dryRun
          ? `would delete ${report.wouldDelete.length} message${report.wouldDelete.length === 1 ? '' : 's'} of tenant ${tenant}`
          : `deleted ${report.deleted.length} message${report.deleted.length === 1 ? '' : 's'} of tenant ${tenant}`,
        ...report.keptSuspicious.map((k) => `kept ${k.messageId}: ${k.reason} (redrive quarantines it)`),
        ...report.failed.map((f) => `not deleted ${f.messageId}: ${f.reason}`),
      ];
      deps.write(`${lines.join('\n')}\n${scanNotes(queue)}`);
      checkScan('purge', queue);
      if (report.failed.length > 0) {
        throw new CliError(`fleet dlq purge: ${report.failed.length} message${report.failed.length === 1 ? '' : 's'} could not be deleted (reasons above). Fix: run the same command again.`);
      }
    });
}

function withQueueOptions(command: Command): Command {
  return command
    .option('--queue-url <url>', QUEUE_HELP)
    .option('--visibility-timeout <seconds>', 'how long messages read by this run stay hidden from others', '60');
}

function openQueue(verb: string, options: QueueOptions, deps: DlqCommandDeps): DlqQueue {
  const url = options.queueUrl ?? nonEmpty(deps.env[DLQ_ENV.QUEUE_URL]);
  if (url === undefined) {
    throw new CliError(`fleet dlq ${verb}: no queue given. Fix: pass --queue-url <url> or set ${DLQ_ENV.QUEUE_URL} to the FailureQueueUrl output of the control-plane stack.`);
  }
  const region = checkQueueUrl(verb, options.queueUrl !== undefined ? '--queue-url' : DLQ_ENV.QUEUE_URL, url);
  const visibility = parseCount(verb, '--visibility-timeout', options.visibilityTimeout ?? '60', 43_200);
  return new DlqQueue(deps.sqs(region), url, { visibilityTimeoutSeconds: visibility, clock: deps.clock });
}

/** Lines about the scan the operator must know: messages hidden by other readers, a receive limit on the queue. */
function scanNotes(queue: DlqQueue): string {
  const report = queue.report;
  const lines: string[] = [];
  if (report?.hiddenByOthers) {
    lines.push(`${report.hiddenByOthers} message${report.hiddenByOthers === 1 ? ' was' : 's were'} hidden by another reader and not seen (visible again when its visibility timeout ends)`);
  }
  if (report?.maxReceiveCount !== undefined) {
    lines.push(formatWarning(`${queue.url} moves a message to its dead-letter queue after ${report.maxReceiveCount} receives, and every scan receives every message of the queue, so reading one tenant's messages counts toward every other tenant's. Fix: remove the queue's redrive policy (CentralFailurePath without maxReceiveCount; see docs/failure-path.md).`, process.stdout));
  }
  return lines.map((line) => `${line}\n`).join('');
}

/** Fails the command when its scan stopped before seeing every message of the queue: a missing message is never reported as absent. */
function checkScan(verb: string, queue: DlqQueue): void {
  const report = queue.report;
  if (report && !report.complete) {
    throw new CliError(`fleet dlq ${verb}: the scan of ${queue.url} stopped after ${report.seen} messages, before it saw every message: ${report.reason}. What it did not reach stays in the queue, untouched. Fix: redrive or purge the tenant with the most messages first (\`fleet dlq list\` shows it; those commands delete as they read, so the rest comes within reach), then run the same command again.`);
  }
}

function checkQueueUrl(verb: string, option: string, url: string): string {
  const region = queueRegion(url);
  if (region === undefined) {
    throw new CliError(`fleet dlq ${verb}: ${option} must be an SQS queue URL, got ${JSON.stringify(url)}. Fix: use the form https://sqs.<region>.amazonaws.com/<account>/<queue-name>.`);
  }
  return region;
}

function requireOption(verb: string, option: string, value: string | undefined, fix: string): string {
  if (value === undefined) throw new CliError(`fleet dlq ${verb}: ${option} is required. Fix: ${fix}.`);
  return value;
}

function parseTenant(verb: string, value: string): string {
  if (!/^\d{12}$/.test(value)) {
    throw new CliError(`fleet dlq ${verb}: --tenant must be a 12-digit AWS account id, got ${JSON.stringify(value)}. Fix: copy the account id from \`fleet dlq list\`.`);
  }
  return value;
}

function parseCount(verb: string, option: string, value: string, max = 1_000_000): number {
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > max) {
    throw new CliError(`fleet dlq ${verb}: ${option} must be a whole number from 1 to ${max}, got ${JSON.stringify(value)}. Fix: for example ${option} 100.`);
  }
  return Number(value);
}

function parseRate(value: string): number {
  const rate = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || !(rate > 0) || rate > 1000) {
    throw new CliError(`fleet dlq redrive: --rate must be a number of deliveries per second above 0 and at most 1000, got ${JSON.stringify(value)}. Fix: for example --rate 5 (or 0.5 for one every two seconds).`);
  }
  return rate;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function summaryOf(m: FailureMessage) {
  return {
    messageId: m.messageId,
    tenant: m.tenant ?? null,
    region: m.region ?? null,
    kind: m.kind,
    source: m.event?.source ?? null,
    detailType: m.event?.['detail-type'] ?? null,
    functionArn: failedFunctionArn(m.event) ?? null,
    time: m.event?.time ?? null,
    quarantine: m.quarantine ?? null,
    receiveCount: m.receiveCount ?? null,
  };
}

function renderList(result: Awaited<ReturnType<typeof listMessages>>, tenant: string | undefined): string {
  const more = result.truncated ? ' (stopped at --max; there are more)' : '';
  if (tenant !== undefined) {
    if (result.messages.length === 0) return `no messages of tenant ${tenant}\n`;
    return [
      `${result.messages.length} message${result.messages.length === 1 ? '' : 's'} of tenant ${tenant}${more}`,
      ...table(['message id', 'kind', 'what failed', 'time', 'redrive'], result.messages.map((m) => [
        m.messageId, m.kind, failedFunctionArn(m.event) ?? m.event?.source ?? '?', m.event?.time ?? '?',
        m.quarantine ? `quarantine: ${m.quarantine.reason}` : 'ok',
      ]), DLQ_TABLE),
    ].join('\n') + '\n';
  }
  if (result.tenants.length === 0) return 'the queue is empty\n';
  return [
    `${result.messages.length} message${result.messages.length === 1 ? '' : 's'} from ${result.tenants.length} tenant${result.tenants.length === 1 ? '' : 's'}${more}`,
    ...table(['tenant', 'messages', 'lambda', 'workflow', 'rule', 'other', 'quarantine', 'oldest'], result.tenants.map((t) => [
      t.tenant ?? '(no envelope account)', String(t.messages), String(t.byKind['lambda-failure']), String(t.byKind['workflow-failed']),
      String(t.byKind['rule-dead-letter']), String(t.byKind.other), String(t.suspicious), t.oldest === undefined ? '?' : new Date(t.oldest).toISOString(),
    ]), DLQ_TABLE),
  ].join('\n') + '\n';
}

function renderShow(m: FailureMessage): string {
  let body: string;
  try {
    body = JSON.stringify(JSON.parse(m.body), null, 2);
  } catch {
    body = m.body;
  }
  return [
    `message:   ${m.messageId}`,
    `tenant:    ${m.tenant ?? '(none: no envelope account)'}`,
    `region:    ${m.region ?? '(none)'}`,
    `kind:      ${m.kind}`,
    `function:  ${failedFunctionArn(m.event) ?? '-'}`,
    `claims:    ${m.claims.length === 0 ? 'none' : m.claims.map((c) => `${c.path}=${c.account}`).join(', ')}`,
    `redrive:   ${m.quarantine ? `QUARANTINE (${m.quarantine.reason})` : 'allowed'}`,
    ...Object.entries(m.attributes).map(([k, v]) => `attribute: ${k}=${v}`),
    '',
    body,
    '',
  ].join('\n');
}

function renderRedrive(outcomes: RedriveOutcome[], others: number, tenant: string, dryRun: boolean, quarantineUrl: string | undefined): string {
  const counts = new Map<string, number>();
  for (const o of outcomes) counts.set(o.result, (counts.get(o.result) ?? 0) + 1);
  const lines = outcomes.map((o) => `${o.result.padEnd(30)} ${o.messageId}${o.tenant && o.tenant !== tenant ? ` (envelope ${o.tenant})` : ''}${o.deliveredAs ? ` -> ${o.deliveredAs}` : ''}${o.reason ? `: ${o.reason}` : ''}`);
  const summary = outcomes.length === 0
    ? `no message of tenant ${tenant} to redrive`
    : `${dryRun ? 'dry run, nothing changed: ' : ''}${[...counts.entries()].map(([k, v]) => `${v} ${k}`).join(', ')}`;
  const notes = [
    ...(others > 0 ? [`${others} message${others === 1 ? '' : 's'} of other tenants left untouched`] : []),
    ...(!quarantineUrl && outcomes.some((o) => o.result === 'quarantined-in-place')
      ? [`quarantined messages stay in the DLQ; pass --quarantine-queue-url (or set ${DLQ_ENV.QUARANTINE_URL}) to move them`] : []),
  ];
  return [...lines, summary, ...notes].join('\n') + '\n';
}

