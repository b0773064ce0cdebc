import { mkdtempSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { formatProblem } from '@fleet/blueprints';
import { SCHEDULED_JOB, ScheduledJob, validateScheduledJobOptions } from '../src';

/** Generates a job into a fresh folder and returns a reader of its files. */
function generate(options: ConstructorParameters<typeof ScheduledJob>[0]): (file: string) => string {
  const outdir = mkdtempSync(path.join(tmpdir(), 'scheduled-job-'));
  new ScheduledJob({ ...options, outdir }).synth();
  return (file) => readFileSync(path.join(outdir, file), 'utf-8');
}

describe('scheduled-job options', () => {
  test('GIVEN every kind of mistake WHEN validated THEN each is reported at once, naming the option, the value and the fix', () => {
    const problems = validateScheduledJobOptions({
      name: 'nightly-export',
      everyHours: 5,
      flexibleWindowMinutes: 0,
      functions: { 'Export': { tableAccess: 'all' }, 'write-export': { timeout: 30 }, 'third-step': {}, 'fourth-step': {} },
    }, 'services["nightly-export"]').map(formatProblem);
    expect(problems).toEqual([
      'services["nightly-export"].everyHours: must be one of 1, 2, 3, 4, 6, 8, 12, 24 (hours that divide a day), got 5. Fix: pick the nearest of those, or leave it out for once a day.',
      'services["nightly-export"].flexibleWindowMinutes: must be a whole number of minutes from 1 to 60, got 0. Fix: set a value between 1 and 60, or leave it out for the default.',
      'services["nightly-export"].functions: must have one to 3 steps, has 4, got ["Export","write-export","third-step","fourth-step"]. Fix: merge steps, or use the step-functions-service blueprint for a larger workflow.',
      'services["nightly-export"].functions["Export"]: must be kebab-case (lowercase letters and digits joined by single dashes, starting with a letter), got "Export". Fix: rename it, for example "export".',
      'services["nightly-export"].functions["Export"].tableAccess: must be one of "none", "read", "write", "read-write", got "all". Fix: use one of "none", "read", "write", "read-write".',
      'services["nightly-export"].functions["write-export"].timeout: is not a known option, got 30. Fix: did you mean "timeoutSeconds"? The options are: description, tableAccess, timeoutSeconds, memoryMb.',
    ]);
  });

  test('GIVEN no functions WHEN validated THEN the fix shows an example step', () => {
    expect(SCHEDULED_JOB.validate({ name: 'nightly-export' }, 'services["nightly-export"]').map(formatProblem)).toEqual([
      'services["nightly-export"].functions: is required. Fix: add the job\'s steps, e.g. functions: { "export-items": { tableAccess: "read" } }.',
    ]);
  });

  test('GIVEN a job constructed directly with bad options (a standalone .projenrc.ts) WHEN built THEN it throws every problem before writing', () => {
    expect(() => new ScheduledJob({ name: 'x', functions: {} })).toThrow(
      'The options of scheduled job "x" has 2 problems; no file was changed:\n' +
      '  1. name: must be 3-40 characters long, got "x". Fix: choose a name of 3 to 40 characters.\n' +
      '  2. x.functions: must have one to 3 steps, has 0, got []. Fix: add a step, e.g. "export-items": {}.',
    );
  });
});

describe('a generated scheduled job', () => {
  const read = generate({
    name: 'nightly-export',
    everyHours: 6,
    functions: { 'collect-counters': { tableAccess: 'read' }, 'write-export': { tableAccess: 'write', timeoutSeconds: 60 } },
  });

  test('GIVEN the options WHEN generated THEN its own .projenrc.ts rebuilds it from this package', () => {
    expect(read('.projenrc.ts')).toContain("import { ScheduledJob } from '@fleet-teams/scheduled-job-blueprint';");
    const pkg = JSON.parse(read('package.json'));
    expect(pkg.devDependencies['@fleet-teams/scheduled-job-blueprint']).toBe(JSON.parse(readFileSync(path.join(__dirname, '..', 'package.json'), 'utf-8')).version);
    expect(pkg.fleet).toEqual({ blueprint: 'scheduled-job', deployedTo: 'every-tenant-account' });
  });

  test('GIVEN two steps WHEN generated THEN the schedule is jittered and the workflow runs them in order', () => {
    const stack = read('src/stack.ts');
    expect(stack).toContain('every: Duration.hours(6),');
    expect(stack).toContain('flexibleWindow: Duration.minutes(15),');
    expect(stack).toContain(".start(ctx.invoke('collect-counters', { stateName: 'Collect counters' }))\n        .next(ctx.invoke('write-export', { stateName: 'Write export' }))");
    expect(stack).toContain('this.table.grantReadData(collectCounters);');
    expect(stack).toContain('this.table.grantWriteData(writeExport);');
  });

  test('GIVEN a step without table access WHEN generated THEN its handler sample touches no table, and the writer\'s does', () => {
    expect(read('src/functions/collect-counters.ts')).not.toContain('PutCommand');
    expect(read('src/functions/write-export.ts')).toContain("sk: 'STEP#write-export'");
  });
});
