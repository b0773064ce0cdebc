import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { formatProblem } from '@fleet/contracts';
import type { Blueprint } from '../blueprint';
import { FilePolicySet } from '../components/file-policies';
import { FleetError, FleetManifestError } from '../errors';
import type { FilePolicies, FilePolicy } from '../owned/file-policy';
import { readOwnedLedger } from '../owned/ledger';
import { FILE_MANIFEST, readFileManifest } from '../private/file-manifest';
import type { Scenario } from './scenarios';

/** An expectation on a generated project that does not hold, in the fleet's problem format. */
export class ScenarioAssertionError extends FleetError {}

/** One projen task as `.projen/tasks.json` records it. */
interface TaskRecord {
  readonly description?: string;
  readonly steps?: ReadonlyArray<{ readonly exec?: string; readonly spawn?: string; readonly say?: string }>;
}

/**
 * A blueprint's project synthesized by projen for one scenario, in a temporary folder, read back:
 * every file, which are managed and with which policy, and the tasks. Its `expect*` helpers
 * assert the keys that matter and throw `ScenarioAssertionError` naming the scenario, the file
 * and what was found, so they work under any test runner.
 */
export class GeneratedProject {
  /**
   * Validates the scenario's options with the blueprint (every problem at once), builds the
   * project in a new temporary folder exactly as the fleet does (the `files` policies applied),
   * and synthesizes it with projen.
   */
  public static synthesize(blueprint: Blueprint, scenario: Scenario): GeneratedProject {
    const { files, ...options } = scenario.options as { files?: FilePolicies } & Record<string, unknown>;
    const problems = blueprint.validate(options, 'options');
    if (problems.length > 0) throw new FleetManifestError(problems, `Scenario "${scenario.name}" (${scenario.file})`);
    const outdir = path.join(mkdtempSync(path.join(tmpdir(), 'fleet-scenario-')), String(options.name ?? 'project'));
    const project = blueprint.create(options, outdir);
    const policyProblems = FilePolicySet.of(project).override(files, 'options.files').apply();
    if (policyProblems.length > 0) throw new FleetManifestError(policyProblems, `Scenario "${scenario.name}" (${scenario.file})`);
    project.synth();
    return new GeneratedProject(scenario.name, outdir);
  }

  /** path (posix, relative) -> content of every file generated, `node_modules` aside. */
  public readonly files: Readonly<Record<string, string>>;

  constructor(public readonly scenario: string, public readonly outdir: string) {
    this.files = Object.fromEntries(listFiles(outdir).map((file) => [file, readFileSync(path.join(outdir, file), 'utf-8')]));
  }

  /** The files a test snapshots: every generated file, `.projen/` bookkeeping included (what the drift check compares). */
  public snapshot(): Record<string, string> {
    return { ...this.files };
  }

  /** The content of `file`; throws when it was not generated. */
  public file(file: string): string {
    const content = this.files[file];
    if (content === undefined) this.fail(file, 'was not generated', Object.keys(this.files), 'change the blueprint, or the path expected');
    return content;
  }

  /** The policy `file` was generated with (`always-update` for managed files), undefined when it was not generated. */
  public policyOf(file: string): FilePolicy | undefined {
    if ((readFileManifest(this.outdir).files ?? []).includes(file) || file === FILE_MANIFEST) return 'always-update';
    const entry = readOwnedLedger(this.outdir).files[file];
    if (entry) return entry.policy ?? 'three-way-merge';
    return undefined;
  }

  /** The tasks of `.projen/tasks.json`, by name. */
  public get tasks(): Readonly<Record<string, TaskRecord>> {
    const text = this.files['.projen/tasks.json'];
    return text === undefined ? {} : (JSON.parse(text).tasks ?? {});
  }

  /** Expectations on one generated file. */
  public expectFile(file: string): FileExpectation {
    return new FileExpectation(this, file);
  }

  /** Expectations on one projen task. */
  public expectTask(name: string): TaskExpectation {
    return new TaskExpectation(this, name);
  }

  /** Throws the assertion error: `scenario "x": <what>: <problem>, got <value>. Fix: <fix>.` */
  public fail(what: string, problem: string, value: unknown, fix: string): never {
    throw new ScenarioAssertionError(formatProblem({ subject: `scenario "${this.scenario}": ${what}`, problem, value, fix }));
  }
}

/** `expectFile(path)`: what a generated file must hold and be. */
export class FileExpectation {
  constructor(private readonly project: GeneratedProject, private readonly path: string) {}

  /** The file was generated. */
  public toExist(): this {
    this.project.file(this.path);
    return this;
  }

  /** The file was not generated. */
  public toBeAbsent(): this {
    if (this.project.files[this.path] !== undefined) this.project.fail(this.path, 'must not be generated', firstLine(this.project.files[this.path]), 'change the blueprint, or the expectation');
    return this;
  }

  /** The file holds each of `texts`. */
  public toContain(...texts: string[]): this {
    const content = this.project.file(this.path);
    const missing = texts.filter((t) => !content.includes(t));
    if (missing.length > 0) this.project.fail(this.path, `must contain ${missing.map((t) => JSON.stringify(t)).join(' and ')}`, excerpt(content, missing[0]), 'change the blueprint, or the text expected');
    return this;
  }

  /** The file holds none of `texts`. */
  public notToContain(...texts: string[]): this {
    const content = this.project.file(this.path);
    const found = texts.filter((t) => content.includes(t));
    if (found.length > 0) this.project.fail(this.path, `must not contain ${found.map((t) => JSON.stringify(t)).join(' and ')}`, excerpt(content, found[0]), 'change the blueprint, or the expectation');
    return this;
  }

  /** The file matches `pattern`. */
  public toMatch(pattern: RegExp): this {
    const content = this.project.file(this.path);
    if (!pattern.test(content)) this.project.fail(this.path, `must match ${pattern}`, firstLine(content), 'change the blueprint, or the pattern');
    return this;
  }

  /** The file is managed (`always-update`): listed in `.projen/files.json`, read-only on disk. */
  public toBeManaged(): this {
    this.project.file(this.path);
    const policy = this.project.policyOf(this.path);
    if (policy !== 'always-update') this.project.fail(this.path, 'must be managed (always-update)', policy ?? 'not recorded', 'generate it as a managed file, or expect it owned');
    if (this.path !== FILE_MANIFEST && (statSync(path.join(this.project.outdir, this.path)).mode & 0o222) !== 0) this.project.fail(this.path, 'must be read-only, as managed files are', 'writable', 'generate it with a projen file component (readonly)');
    return this;
  }

  /** The file is the team's, with `policy` when given (default: any owned policy). */
  public toBeOwned(policy?: Exclude<FilePolicy, 'always-update'>): this {
    this.project.file(this.path);
    const actual = this.project.policyOf(this.path);
    if (actual === undefined || actual === 'always-update' || (policy !== undefined && actual !== policy)) {
      this.project.fail(this.path, `must be owned${policy ? ` (${policy})` : ''}`, actual ?? 'not recorded', 'generate it as an OwnedFile, or set its policy');
    }
    return this;
  }
}

/** `expectTask(name)`: a projen task the project must have. */
export class TaskExpectation {
  constructor(private readonly project: GeneratedProject, private readonly name: string) {}

  /** The task exists. */
  public toExist(): this {
    this.task();
    return this;
  }

  /** One of the task's steps runs exactly `command`. */
  public toRun(command: string): this {
    const steps = this.task().steps ?? [];
    if (!steps.some((s) => s.exec === command)) this.project.fail(`task ${this.name}`, `must run ${JSON.stringify(command)}`, steps.map((s) => s.exec ?? `spawn ${s.spawn}`), 'add the step to the task, or change the command expected');
    return this;
  }

  /** One of the task's steps spawns the task `other`. */
  public toSpawn(other: string): this {
    const steps = this.task().steps ?? [];
    if (!steps.some((s) => s.spawn === other)) this.project.fail(`task ${this.name}`, `must spawn task ${JSON.stringify(other)}`, steps.map((s) => s.exec ?? `spawn ${s.spawn}`), 'spawn it from the task, or change the expectation');
    return this;
  }

  private task(): TaskRecord {
    const task = this.project.tasks[this.name];
    if (!task) this.project.fail(`task ${this.name}`, 'does not exist', Object.keys(this.project.tasks), 'add the task (project.addTask), or expect one of the tasks listed');
    return task;
  }
}

function listFiles(dir: string, prefix = ''): string[] {
  if (!existsSync(path.join(dir, prefix))) return [];
  return readdirSync(path.join(dir, prefix), { withFileTypes: true })
    .flatMap((entry) => {
      const rel = path.posix.join(prefix, entry.name);
      if (entry.name === 'node_modules') return [];
      return entry.isDirectory() ? listFiles(dir, rel) : [rel];
    })
    .sort();
}

function firstLine(text: string): string {
  return text.split('\n')[0];
}

/** The lines around where `text` would be expected: its first line, or the whole file when short. */
function excerpt(content: string, text: string): string {
  const first = firstLine(text);
  const line = content.split('\n').find((l) => first.trim() !== '' && l.includes(first.trim().slice(0, 20)));
  return line ?? firstLine(content);
}
