import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CommanderError } from 'commander';
import { runCost } from '../src/commands/cost';
import { CliError, createProgram, listServices } from '../src';
import { CostReport } from '../src/cost/report';

const REPO = path.resolve(__dirname, '..', '..');

/** The real sample fleet, synthesized once for this file (10-30 s per service here). */
describe('fleet cost on the sample fleet', () => {
  let out: string;
  let report: CostReport;

  beforeAll(async () => {
    out = mkdtempSync(path.join(os.tmpdir(), 'fleet-cost-test-'));
    report = JSON.parse(await runCost({ tenants: 6000, out, json: true, freeTier: 'none' }, REPO));
  }, 300_000);

  afterAll(() => rmSync(out, { recursive: true, force: true }));

  test('prices every service deployed to the tenant accounts, ours and classic; not the control plane', () => {
    expect(report.services.map((s) => s.service)).toEqual(listServices(REPO, 'every-tenant-account'));
    expect(report.services.map((s) => s.service)).not.toContain('control-plane');
  });

  test('our idle cost per tenant account is under $0.25 a month and lower than classic', () => {
    expect(report.perTenant.ours).toBeLessThan(0.25);
    expect(report.perTenant.ours).toBeLessThan(report.perTenant.classic);
  });

  test('the services cost nothing while idle but the runs of their own schedules; the tenant baseline pays one standard alarm, its query alarm analyzes nothing', () => {
    for (const s of report.services.filter((x) => x.service !== 'tenant-baseline')) {
      expect(s.ours).toBeLessThan(s.classic);
    }
    for (const s of report.ours.services.filter((x) => x.service !== 'tenant-baseline')) {
      // A schedule's lines name its expression (JitteredSchedule: cron at the account's offset minute).
      const idle = s.lines.filter((l) => !l.item.includes('(cron('));
      expect({ service: s.service, idle: idle.reduce((total, l) => total + l.monthly, 0) }).toEqual({ service: s.service, idle: 0 });
      expect(s.lines.filter((l) => l.item.includes('(cron(')).reduce((total, l) => total + l.monthly, 0)).toBeLessThan(0.01);
    }
    const baseline = report.ours.services.find((s) => s.service === 'tenant-baseline')!;
    expect(baseline.lines.map((l) => [l.item, l.quantity, l.monthly])).toEqual([
      ['Metrics Insights alarm: metrics analyzed', 0, 0],
      ['standard alarm metric', 1, 0.1],
    ]);
    expect(baseline.lines[0].note).toMatch(/busy, up to \d+ \(one per Lambda function in the account invoked in the last 3 hours\)/);
  });

  test('the fleet figure is the per-tenant figure times the tenants', () => {
    expect(report.fleet.ours).toBeCloseTo(report.perTenant.ours * 6000, 4);
    expect(report.fleet.classic).toBeCloseTo(report.perTenant.classic * 6000, 4);
  });

  test('nothing in our templates is left unpriced', () => {
    expect(report.unpriced.ours).toEqual([]);
  });

  test('the table (from --templates, no second synthesis) shows both designs side by side', async () => {
    const text = await runCost({ tenants: 6000, templates: out, freeTier: 'none' }, REPO);
    expect(text).toMatch(/service\s+ours \/ tenant\s+classic \/ tenant/);
    expect(text).toMatch(/fleet \(x 6,000 tenants\)/);
    for (const s of report.services) expect(text).toContain(s.service);
  });
});

describe('fleet cost arguments', () => {
  const parse = async (...args: string[]) => {
    const errors: string[] = [];
    const output = { writeErr: (t: string) => errors.push(t), writeOut: (t: string) => errors.push(t) };
    const program = createProgram().exitOverride().configureOutput(output);
    // exitOverride/configureOutput on the program do not reach subcommands registered before them
    for (const command of program.commands) command.exitOverride().configureOutput(output);
    const result = await program.parseAsync(['node', 'fleet', ...args]).then(() => undefined, (e) => e);
    return { error: result as unknown, text: errors.join('') };
  };

  test('--tenants is required and must be a whole number', async () => {
    const missing = await parse('cost');
    expect(missing.error).toBeInstanceOf(CommanderError);
    expect(missing.text).toMatch(/--tenants <n>/);
    const bad = await parse('cost', '--tenants', 'lots');
    expect(bad.text).toMatch(/--tenants must be a whole number of tenant accounts, at least 1; got "lots"\. Fix: for example --tenants 6000\./);
  });

  test('--free-tier accepts none or per-account', async () => {
    const bad = await parse('cost', '--tenants', '1', '--free-tier', 'some');
    expect(bad.text).toMatch(/--free-tier must be "none" or "per-account"; got "some"/);
  });

  test('--templates names a missing folder and says the fix', async () => {
    await expect(runCost({ tenants: 1, templates: '/nonexistent/templates', freeTier: 'none' })).rejects.toThrow(CliError);
    await expect(runCost({ tenants: 1, templates: '/nonexistent/templates', freeTier: 'none' })).rejects.toThrow(/--templates \/nonexistent\/templates: no such folder\. Fix:/);
  });

  test('never writes outside what it was given: --out that is a symbolic link, or a folder holding other files, is refused by name', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'fleet-cost-out-'));
    const link = path.join(dir, 'link');
    symlinkSync(mkdtempSync(path.join(os.tmpdir(), 'fleet-cost-target-')), link);
    await expect(runCost({ tenants: 1, out: link, freeTier: 'none' }, REPO)).rejects.toThrow(
      `--out ${link} is a symbolic link; fleet cost never writes through one. Fix: name a new or empty folder, e.g. --out ${path.join(link, 'fleet-cost')}.`,
    );
    const busy = path.join(dir, 'busy');
    mkdirSync(busy);
    writeFileSync(path.join(busy, 'notes.md'), 'mine\n');
    await expect(runCost({ tenants: 1, out: busy, freeTier: 'none' }, REPO)).rejects.toThrow(
      `--out ${busy} already holds "notes.md", which an earlier fleet cost --out did not write (it would be overwritten). Fix: name a new or empty folder, e.g. --out ${path.join(busy, 'fleet-cost')}.`,
    );
  });

  test('--help explains the command', async () => {
    const help = await parse('cost', '--help');
    expect(help.text).toMatch(/idle|no traffic/);
    expect(help.text).toMatch(/classic/);
    expect(help.text).toMatch(/--templates <dir>/);
  });
});
