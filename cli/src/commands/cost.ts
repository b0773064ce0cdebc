import { readdirSync } from 'fs';
import { kindOf } from '@fleet/blueprints/files';
import * as path from 'path';
import { Command, InvalidArgumentError } from 'commander';
import { buildReport, renderJson, renderTable } from '../cost/report';
import { FreeTierMode } from '../cost/model';
import { loadTemplates, synthesizeFleet } from '../cost/synth';
import { CliError } from '../errors';
import { findFleetRoot } from '../fleet-root';

export interface CostOptions {
  tenants: number;
  templates?: string;
  out?: string;
  json?: boolean;
  freeTier: FreeTierMode;
}

function positiveInteger(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) {
    throw new InvalidArgumentError(`--tenants must be a whole number of tenant accounts, at least 1; got ${JSON.stringify(value)}. Fix: for example --tenants 6000.`);
  }
  return Number(value);
}

function freeTierMode(value: string): FreeTierMode {
  if (value !== 'none' && value !== 'per-account') {
    throw new InvalidArgumentError(`--free-tier must be "none" or "per-account"; got ${JSON.stringify(value)}.`);
  }
  return value;
}

/** `fleet cost`: the idle monthly cost per tenant account and for the fleet, ours next to the classic design. */
export function registerCost(program: Command): void {
  program
    .command('cost')
    .summary('idle monthly cost per tenant account and for the fleet, ours vs the classic design')
    .description(
      [
        'Synthesizes every service of the fleet (or reads --templates) and prices what each tenant account',
        'pays per month when no traffic at all flows: alarms, KMS keys, pollers, schedules, always-on capacity...',
        'Every resource type is either priced, listed as free when idle with the reason, or reported as not priced.',
        '',
        'Next to it, the same fleet built the "classic" way, derived from the same templates: an SQS queue with a',
        'Lambda poller between each EventBridge rule and its consumer, a DLQ per queue with a depth alarm, and an',
        'Errors/Throttles alarm per function.',
        '',
        'Prices are us-east-1 list prices from cli/src/cost/prices.ts, each with its source and the date it was read.',
      ].join('\n'),
    )
    .requiredOption('--tenants <n>', 'number of tenant accounts (fleet cost = per-tenant cost x n)', positiveInteger)
    .option('--templates <dir>', 'use the *.template.json files in <dir> (or its subfolders) instead of synthesizing')
    .option('--out <dir>', 'synthesize into <dir> and keep the templates (default: a temporary folder, removed afterwards)')
    .option('--free-tier <mode>', 'none: tenants share one organization free tier, so each pays list price; per-account: each tenant gets the always-free allowances', freeTierMode, 'none')
    .option('--json', 'print the full report as JSON (every line, price, source and assumption)')
    .addHelpText('after', '\nExamples:\n  npx fleet cost --tenants 6000\n  npx fleet cost --tenants 6000 --json > cost.json\n  npx fleet cost --tenants 1 --out /tmp/templates && npx fleet cost --tenants 6000 --templates /tmp/templates')
    .action(async (options: CostOptions) => {
      process.stdout.write(`${await runCost(options)}\n`);
    });
}

/** The report text (`--json`: JSON) for `options`; exported for tests. */
export async function runCost(options: CostOptions, cwd: string = process.cwd()): Promise<string> {
  let fleet;
  if (options.templates) {
    fleet = loadTemplates(path.resolve(cwd, options.templates));
  } else {
    const root = findFleetRoot(cwd);
    if (options.out) {
      const outdir = checkedOutDir(path.resolve(cwd, options.out));
      if (!options.json) process.stderr.write(`Synthesizing the services of ${root} into ${outdir} ...\n`);
      fleet = await synthesizeFleet(root, outdir);
    } else {
      fleet = await synthesizeFleet(root);
    }
  }
  const report = buildReport(fleet, options.tenants, options.freeTier ?? 'none');
  return options.json ? renderJson(report) : renderTable(report);
}

/**
 * `--out` is a folder the user names, so it may be outside the fleet; but CDK writes into it
 * file by file, so it must be a folder of its own: missing, empty, or one an earlier
 * `fleet cost --out` filled (only cloud assemblies: folders holding a manifest.json), and never
 * a symbolic link (or a folder reached through one in what it holds).
 */
function checkedOutDir(outdir: string): string {
  const kind = kindOf(outdir);
  const refuse = (problem: string) => new CliError(`--out ${outdir} ${problem}. Fix: name a new or empty folder, e.g. --out ${path.join(outdir, 'fleet-cost')}.`);
  if (kind === 'missing') return outdir;
  if (kind !== 'directory') throw refuse(kind === 'symlink' ? 'is a symbolic link; fleet cost never writes through one' : 'is not a folder');
  for (const entry of readdirSync(outdir)) {
    const kindOfEntry = kindOf(path.join(outdir, entry));
    if (kindOfEntry !== 'directory' || kindOf(path.join(outdir, entry, 'manifest.json')) !== 'file') {
      throw refuse(`already holds ${JSON.stringify(entry)}, which an earlier fleet cost --out did not write (it would be overwritten)`);
    }
  }
  return outdir;
}
