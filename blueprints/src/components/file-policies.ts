import type { Problem } from '@fleet/contracts';
import { Component } from 'projen/lib/component';
import { Project } from 'projen/lib/project';
import { filePoliciesProblems, FilePolicies, FilePolicy } from '../owned/file-policy';
import { globMatches, matchingPolicy } from '../owned/glob-match';
import { ManagedTextFile } from './managed-text-file';
import { OwnedFile } from './owned-file';

/** The `files` option of a blueprint project: per-path-glob file policies that override the blueprint's defaults. */
export interface FilePolicyOverrides {
  /**
   * Path glob (relative to the project, `/` separators) -> file policy, overriding the
   * blueprint's defaults; the last matching glob wins. A glob must match a file the blueprint
   * writes, and cannot hand over a file the blueprint keeps managed (`.projenrc.ts`,
   * `package.json`, the stack, ...).
   * @example { "src/functions/**": "never-update", "README.md": "never-update" }
   * @default - the blueprint's policies
   */
  readonly files?: FilePolicies;
}

/**
 * The file policies of one project (`FilePolicy`: always-update, never-update, add-only,
 * three-way-merge), from three layers: the kind of each file (a managed file is
 * `always-update`, an `OwnedFile` its own policy), the blueprint's defaults per glob, and the
 * manifest's `files` overrides per glob (last match wins in each layer).
 *
 * `apply()` runs once, after the blueprint has declared every file and before anything is
 * written (the fleet calls it for every service and reports every problem at once; a project
 * built on its own calls it at the start of `synth()`): it checks the overrides and then makes
 * each file what its policy says, a `ManagedTextFile` or an `OwnedFile`.
 */
export class FilePolicySet extends Component {
  /** The project's instance, created on first use. */
  public static of(project: Project): FilePolicySet {
    return project.components.find((c): c is FilePolicySet => c instanceof FilePolicySet) ?? new FilePolicySet(project);
  }

  /** The project's instance if it has one (without creating it). */
  public static find(project: Project): FilePolicySet | undefined {
    return project.components.find((c): c is FilePolicySet => c instanceof FilePolicySet);
  }

  private blueprintDefaults: Record<string, FilePolicy> = {};
  private readonly managedOnly: string[] = [];
  private overriding: { files: FilePolicies; subject: string } | undefined;
  private result: Problem[] | undefined;

  private constructor(project: Project) {
    super(project);
  }

  /** The manifest's overrides, as given (written into the project's own `.projenrc.ts`). */
  public get overrides(): FilePolicies | undefined {
    return this.overriding?.files;
  }

  /** Blueprint defaults per glob, applied over each file's kind and under the manifest's overrides. */
  public defaults(policies: FilePolicies): this {
    this.assertNotApplied();
    this.blueprintDefaults = { ...this.blueprintDefaults, ...policies };
    return this;
  }

  /** Globs of files the blueprint keeps managed: no override may hand them to the team. */
  public keepManaged(...globs: string[]): this {
    this.assertNotApplied();
    this.managedOnly.push(...globs);
    return this;
  }

  /** The manifest's `files` option; `subject` is where it is written, e.g. `services["scan-ingest"].files`. */
  public override(files: FilePolicies | undefined, subject: string): this {
    this.assertNotApplied();
    this.overriding = files === undefined ? undefined : { files, subject };
    return this;
  }

  /** The policy each file the project writes gets, by path. Reads only. */
  public resolve(): Map<string, FilePolicy> {
    const policies = new Map<string, FilePolicy>();
    for (const { path, kind } of this.declared()) {
      policies.set(path, matchingPolicy(this.overriding?.files, path) ?? matchingPolicy(this.blueprintDefaults, path) ?? kind);
    }
    return policies;
  }

  /**
   * Checks the overrides and, when they are sound, turns each file into what its policy says.
   * Returns every problem (and changes nothing when there is one); later calls return the
   * first call's answer.
   */
  public apply(): Problem[] {
    if (this.result) return this.result;
    const problems = this.problems();
    if (problems.length === 0) this.convert();
    this.result = problems;
    return problems;
  }

  private problems(): Problem[] {
    if (!this.overriding) return [];
    const { files, subject } = this.overriding;
    const shape = filePoliciesProblems(subject, files);
    if (shape.length > 0) return shape;
    const declared = this.declared();
    const paths = declared.map((d) => d.path).sort();
    const resolved = this.resolve();
    const problems: Problem[] = [];
    for (const [glob, policy] of Object.entries(files)) {
      const at = `${subject}[${JSON.stringify(glob)}]`;
      const matched = paths.filter((file) => globMatches(glob, file));
      if (matched.length === 0) {
        problems.push({ subject: at, problem: 'matches no file the blueprint writes', value: glob, fix: `match files it writes (in ${foldersOf(paths)}), or remove the entry` });
        continue;
      }
      if (policy === 'always-update') continue;
      // Only where this glob decides (the last matching override) does it hand the file over.
      const handedOver = matched.filter((file) => this.isManagedOnly(file, declared) && lastOverrideFor(files, file) === glob && resolved.get(file) !== 'always-update');
      if (handedOver.length > 0) {
        problems.push({
          subject: at,
          problem: `would make ${handedOver.join(', ')} the team's (${policy}), but the blueprint keeps ${handedOver.length === 1 ? 'it' : 'them'} managed`,
          value: policy,
          fix: `narrow the glob so it leaves out ${handedOver.join(', ')}`,
        });
      }
    }
    return problems;
  }

  /** Every file the blueprint writes, with the policy its kind gives it. */
  private declared(): Array<{ path: string; kind: FilePolicy; file: unknown }> {
    return [
      ...this.project.files.filter((f) => f.readonly).map((f) => ({ path: f.path, kind: 'always-update' as FilePolicy, file: f as unknown })),
      ...OwnedFile.all(this.project).map((f) => ({ path: f.path, kind: f.policy as FilePolicy, file: f as unknown })),
    ];
  }

  /** A managed file the team may not take: kept managed by the blueprint, or not a text file we can hand over (projen's JSON and YAML files, `.projen/*`). */
  private isManagedOnly(file: string, declared: ReturnType<FilePolicySet['declared']>): boolean {
    const entry = declared.find((d) => d.path === file);
    if (!entry || entry.kind !== 'always-update') return false;
    if (file.startsWith('.projen/') || !(entry.file instanceof ManagedTextFile)) return true;
    return this.managedOnly.some((glob) => globMatches(glob, file));
  }

  private convert(): void {
    const policies = this.resolve();
    for (const { path, file } of this.declared()) {
      const policy = policies.get(path)!;
      if (file instanceof OwnedFile) {
        if (policy !== 'always-update') {
          file.policy = policy;
          continue;
        }
        file.node.scope?.node.tryRemoveChild(file.node.id);
        new ManagedTextFile(this.project, path, { contents: () => file.generated });
      } else if (policy !== 'always-update' && file instanceof ManagedTextFile) {
        this.project.tryRemoveFile(path);
        new OwnedFile(this.project, path, () => file.body(), { policy });
      }
    }
  }

  private assertNotApplied(): void {
    if (this.result) throw new Error(`The file policies of ${this.project.name} were applied already; declare defaults and overrides before synthesis.`);
  }
}

/** The folders of `paths` for a fix sentence: "the project folder, events/, src/, ..." (`.projen/` left out: never the team's). */
function foldersOf(paths: string[]): string {
  const folders = [...new Set(paths.map((p) => (p.includes('/') ? `${p.slice(0, p.lastIndexOf('/'))}/` : '')))].filter((f) => !f.startsWith('.projen/')).sort();
  return folders.map((f) => (f === '' ? 'the project folder' : f)).join(', ');
}

/** The last glob of `files` that matches `file`. */
function lastOverrideFor(files: FilePolicies, file: string): string | undefined {
  let last: string | undefined;
  for (const glob of Object.keys(files)) if (globMatches(glob, file)) last = glob;
  return last;
}
