import { appendFileSync, existsSync, readFileSync } from 'fs';
import * as path from 'path';

/**
 * The completion record of a synthesis: a JSON-lines file the synthesizing process appends to,
 * named by this environment variable. A step line before each project it generates, one
 * `complete` line at the very end listing every project it generated.
 *
 * Why: an exit status alone cannot be trusted. projen runs the default task through its dax
 * shell, which reports a child killed by a signal as exit code 0, so `npx projen` exited 0 (and
 * the drift check said "No drift") over a synthesis that was killed half-way. Whoever starts a
 * synthesis (`fleet-synth`, `fleet-drift`) sets the variable and accepts the run only with the
 * `complete` line; the step lines say which project it stopped in.
 *
 * No projen import here: `fleet-synth` loads this module on every `npx projen`.
 */
export const SYNTHESIS_RECORD_ENV = 'FLEET_SYNTHESIS_RECORD';

/** One project a synthesis generates, as its step line records it. */
export interface SynthesisStep {
  /** `fleet` for the fleet root, `service` for a service project. */
  readonly kind: 'fleet' | 'service';
  readonly name: string;
  /** Absolute path of the project. */
  readonly outdir: string;
}

/** What a record file says about the synthesis that wrote it. */
export interface SynthesisRecord {
  /** Every step, in order; the last is where an unfinished synthesis stopped. */
  readonly steps: SynthesisStep[];
  /** Absolute paths of every project generated, when the synthesis completed; undefined otherwise. */
  readonly completedProjects?: string[];
}

/** The outermost synthesis of this process (a Fleet, or a standalone blueprint project). */
let outermost: object | undefined;
let lastStepOutdir: string | undefined;

/**
 * Runs `synth` (which returns the outdir of every project it generated) as the synthesis of
 * `step`. Only the outermost synthesis of the process writes the `complete` line, and only when
 * `synth` returned: a fleet synthesizes its services inside its own synthesis.
 */
export function recordedSynthesis(owner: object, step: SynthesisStep, synth: () => string[]): void {
  const isOutermost = outermost === undefined;
  if (isOutermost) outermost = owner;
  let projects: string[] | undefined;
  try {
    recordSynthesisStep(step);
    projects = synth();
  } finally {
    if (isOutermost) {
      outermost = undefined;
      lastStepOutdir = undefined;
      if (projects) append({ complete: true, projects: projects.map((p) => path.resolve(p)) });
    }
  }
}

/** Records that the synthesis now generates this project (consecutive repeats are written once). */
export function recordSynthesisStep(step: SynthesisStep): void {
  const outdir = path.resolve(step.outdir);
  if (lastStepOutdir === outdir) return;
  lastStepOutdir = outdir;
  append({ step: { ...step, outdir } });
}

function append(line: object): void {
  const file = process.env[SYNTHESIS_RECORD_ENV];
  if (!file) return;
  appendFileSync(file, `${JSON.stringify(line)}\n`);
}

/** Reads a record file; a missing or empty file is a synthesis that recorded nothing. */
export function readSynthesisRecord(file: string): SynthesisRecord {
  const steps: SynthesisStep[] = [];
  let completedProjects: string[] | undefined;
  const text = existsSync(file) ? readFileSync(file, 'utf-8') : '';
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    let entry: any;
    try {
      entry = JSON.parse(line);
    } catch {
      // A line cut short by a kill: the synthesis did not complete.
      completedProjects = undefined;
      break;
    }
    if (entry.step) steps.push(entry.step);
    else if (entry.complete === true && Array.isArray(entry.projects)) completedProjects = entry.projects;
  }
  return { steps, completedProjects };
}

/** How a synthesis child process ended, as `spawnSync` reports it. */
export interface ChildEnd {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly error?: Error;
}

/**
 * Why a synthesis run in `dir` did not complete, or undefined when it did (exit code 0, no
 * signal, and the `complete` line). A non-zero exit is left to the child, which printed why.
 * `command` names what ran, for the message.
 */
export function synthesisFailure(end: ChildEnd, record: SynthesisRecord, dir: string, command = '.projenrc.ts'): string | undefined {
  const subject = `Synthesis of ${describeStep(record.steps[record.steps.length - 1], dir)}`;
  if (end.error) {
    return `${subject}: ${command} could not be started, got "${end.error.message}". Fix: run "npm ci" (node and tsx must be installed), then run "npx projen" again.`;
  }
  if (end.signal) {
    return (
      `${subject}: ${command} was ended by signal ${end.signal} before it completed, so generated files may be partly written. ` +
      'Fix: find what ended it (out of memory, a time limit, a blueprint that ends its own process), then run "npx projen" again.'
    );
  }
  if (end.status === 0 && record.completedProjects === undefined) {
    return (
      `${subject}: ${command} exited with code 0 but without its completion record, so it stopped before the end. ` +
      'Fix: make sure nothing calls process.exit() during synthesis and that .projenrc.ts ends with synth(), then run "npx projen" again.'
    );
  }
  return undefined;
}

function describeStep(step: SynthesisStep | undefined, dir: string): string {
  if (!step) return `.projenrc.ts in ${dir}`;
  const where = path.relative(dir, step.outdir) || '.';
  return step.kind === 'fleet' ? `the fleet root "${step.name}" (${where})` : `service "${step.name}" (${where})`;
}
