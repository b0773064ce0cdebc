import { existsSync, readdirSync, readFileSync, rmdirSync } from 'fs';
import * as path from 'path';
import { Project } from 'projen/lib/project';
import { ProjenrcFile } from 'projen/lib/projenrc';
import { PROJEN_MARKER } from 'projen/lib/common';
import { formatProblemList, KEBAB_CASE } from '@fleet/contracts';
import { Blueprint, ServiceDeclaration } from './blueprint';
import { DEFAULT_BLUEPRINTS } from './registry';
import { FilePolicySet } from './components/file-policies';
import { OwnedLedgerError, readOwnedLedger } from './owned/ledger';
import { filePoliciesProblems } from './owned/file-policy';
import { FleetError, FleetManifestError, ManifestProblem, OwnedFileConflictError, PathRefusal, UnsafePathError } from './errors';
import { FleetWorkspace, LIBRARY_PACKAGES } from './fleet-workspace';
import { ProblemCollector } from './private/checks';
import { keepCleanupToFileManifest } from './private/cleanup';
import { serviceNameProblems } from './private/name-collisions';
import { blueprintPackageProblems } from './private/package-folders';
import { FILE_MANIFEST, readFileManifest } from './private/file-manifest';
import { displayPath, folderProblem, isRelativeInside, kindOf, removeMarkedFile, removeStateFile } from './private/safe-fs';
import { ContainedWrites } from './components/contained-writes';
import { recordedSynthesis, recordSynthesisStep, SynthesisStep } from './private/synthesis-record';
import { PROJENRC_COMMAND } from './components/blueprint-projenrc';

export interface FleetOptions {
  /** The fleet's name, kebab-case (the root package name). */
  readonly name: string;
  /** Every service of the fleet. */
  readonly services: readonly ServiceDeclaration[];
  /**
   * Services taken out of the fleet. Their managed files are removed; the files their team
   * owns are kept and listed. A service that disappears from `services` without being listed
   * here is an error, so nothing is deleted or left behind silently.
   * @default []
   */
  readonly retired?: readonly string[];
  /**
   * Blueprints the manifest may use, in addition to the built-in ones.
   * @default - only the built-in blueprints (`step-functions-service`, `control-plane`, `tenant-baseline`)
   */
  readonly blueprints?: readonly Blueprint<any>[];
  /**
   * Folders (relative to the root) of blueprint packages kept in this repository, such as a
   * team's own `team-blueprints/scheduled-job`: each is an npm workspace, compiled by
   * `build:packages` after the fleet's packages (its own `build` script), type-checked by
   * `typecheck` and tested by `npm test` (its own jest config). Register its blueprint in
   * `blueprints` too; this only builds and tests the package.
   * @default []
   */
  readonly blueprintPackages?: readonly string[];
  /**
   * The fleet repository's root.
   * @default '.'
   */
  readonly outdir?: string;
  /**
   * Run one `npm install` at the root after synthesis when a package.json changed, so the
   * lockfile follows the manifest. Also off when projen runs with `--no-post`.
   * @default true
   */
  readonly installAfterChange?: boolean;
}

/** Where generated services live, relative to the fleet root. */
export const PROJECTS_DIR = 'projects';
/** Names that would collide with the fleet's own folders or npm workspace packages. */
const RESERVED_SERVICE_NAMES = ['blueprints', 'workflows', 'projects', 'test', 'docs', 'bench', 'fleet', 'shared', 'lib', 'src'];

/**
 * The root of a fleet repository: validates the manifest, generates every service from its
 * blueprint as an independent projen project (no shared construct tree, so synthesis grows
 * linearly), retires removed services, and installs once at the root.
 */
export class Fleet extends Project {
  public readonly manifest: FleetOptions;
  public readonly workspace: FleetWorkspace;
  private readonly blueprints: Map<string, Blueprint>;
  /** Every blueprint registered, built-in first, duplicates included (reported by validate). */
  private readonly registered: Blueprint[];
  private readonly services: Project[] = [];

  constructor(options: FleetOptions) {
    super({ name: options.name, outdir: options.outdir ?? '.', commitGenerated: true });
    this.manifest = options;
    this.registered = [...DEFAULT_BLUEPRINTS, ...(Array.isArray(options.blueprints) ? options.blueprints : [])];
    // The first registration of an id wins: a second one is a manifest problem (validate), never a silent replacement.
    this.blueprints = new Map();
    for (const blueprint of this.registered) if (!this.blueprints.has(blueprint?.id)) this.blueprints.set(blueprint?.id, blueprint);
    new FleetProjenrc(this);
    keepCleanupToFileManifest(this);
    // Checked by validate(), before anything is written; a list that is not one builds nothing meanwhile.
    this.workspace = new FleetWorkspace(this, { projectsDir: PROJECTS_DIR, blueprintPackages: Array.isArray(options.blueprintPackages) ? options.blueprintPackages : [] });
  }

  /** Every problem with the manifest, empty when it is valid. Reads the disk, writes nothing. */
  public validate(): ManifestProblem[] {
    const check = new ProblemCollector();
    const services = Array.isArray(this.manifest.services) ? this.manifest.services : [];
    if (!Array.isArray(this.manifest.services)) {
      check.add({ subject: 'services', problem: 'must be a list of services', value: this.manifest.services, fix: 'write services: [{ name, blueprint, ... }]' });
    }
    check.kebabName('name (fleet name)', this.manifest.name, { min: 2, max: 60 });
    const seen = new Map<string, number>();
    services.forEach((service, index) => {
      const subject = `services[${index}]`;
      if (!check.isObject(subject, service, 'declare a service as { name, blueprint, ...options }')) return;
      const name = service.name;
      const at = typeof name === 'string' && name ? `services["${name}"]` : subject;
      if (check.kebabName(`${at}.name`, name, { min: 3, max: 40 })) {
        if (RESERVED_SERVICE_NAMES.includes(name)) {
          check.add({ subject: `${at}.name`, problem: `is reserved (${RESERVED_SERVICE_NAMES.join(', ')})`, value: name, fix: `rename the service, e.g. "${name}-service"` });
        }
        const context = { fleetName: this.manifest.name, workspaceFolders: LIBRARY_PACKAGES.filter((pkg) => !RESERVED_SERVICE_NAMES.includes(pkg)) };
        for (const problem of serviceNameProblems(name, `${at}.name`, context)) check.add(problem);
        const first = seen.get(name);
        if (first !== undefined) {
          check.add({ subject: `${at}.name`, problem: `is declared twice (services[${first}] and services[${index}])`, value: name, fix: 'give each service a unique name, or remove the duplicate' });
        } else {
          seen.set(name, index);
        }
        if (this.retiredNames().includes(name)) {
          check.add({ subject: `${at}.name`, problem: 'is both a service and in retired', value: name, fix: 'remove it from retired to keep the service, or from services to retire it' });
        }
      }
      const blueprint = typeof service.blueprint === 'string' ? this.blueprints.get(service.blueprint) : undefined;
      if (!blueprint) {
        check.add({
          subject: `${at}.blueprint`,
          problem: service.blueprint === undefined ? 'is required' : 'is not a known blueprint',
          ...(service.blueprint === undefined ? {} : { value: service.blueprint }),
          fix: `use one of ${[...this.blueprints.keys()].map((id) => `"${id}"`).join(', ')}, or register yours in Fleet({ blueprints })`,
        });
        return;
      }
      // `files` (per-glob file policies) belongs to every service, not to one blueprint's options.
      const { blueprint: _id, files, ...blueprintOptions } = service;
      for (const problem of blueprint.validate(blueprintOptions, at)) check.add(problem);
      for (const problem of filePoliciesProblems(`${at}.files`, files)) check.add(problem);
    });
    for (const problem of blueprintPackageProblems(this.manifest.blueprintPackages, { root: this.outdir, libraryPackages: LIBRARY_PACKAGES, projectsDir: PROJECTS_DIR })) check.add(problem);
    for (const problem of this.blueprintRegistrationProblems()) check.add(problem);
    if (this.manifest.retired !== undefined && !Array.isArray(this.manifest.retired)) {
      check.add({ subject: 'retired', problem: 'must be a list of service names', value: this.manifest.retired, fix: 'write retired: ["old-service"], or leave it out' });
    }
    for (const [index, name] of this.retiredNames().entries()) {
      check.kebabName(`retired[${index}]`, name, { min: 3, max: 40 });
    }
    for (const orphan of this.servicesOnDiskNotDeclared()) {
      check.add({
        subject: `${PROJECTS_DIR}/${orphan}`,
        problem: 'is a generated service that is no longer in the manifest',
        value: orphan,
        fix: `add it back to services, or add "${orphan}" to retired to remove its managed files (the files its team owns are kept and listed)`,
      });
    }
    return check.problems;
  }

  /** The retired names, when `retired` is a list (validate reports it when it is not). */
  private retiredNames(): string[] {
    return Array.isArray(this.manifest.retired) ? [...this.manifest.retired] : [];
  }

  /**
   * Problems with `Fleet({ blueprints })`: each registration needs a kebab-case id, and an id
   * names one blueprint. A second blueprint under an id already registered (a built-in's, such as
   * "step-functions-service", or a team's) would otherwise replace the first for every service
   * that names it, silently. Registering the very same blueprint twice is harmless.
   */
  private blueprintRegistrationProblems(): ManifestProblem[] {
    const problems: ManifestProblem[] = [];
    if (this.manifest.blueprints !== undefined && !Array.isArray(this.manifest.blueprints)) {
      problems.push({ subject: 'blueprints', problem: 'must be a list of blueprints', value: typeof this.manifest.blueprints, fix: 'write blueprints: [MY_BLUEPRINT], each imported from its package' });
      return problems;
    }
    const builtIn = DEFAULT_BLUEPRINTS.length;
    this.registered.forEach((blueprint, position) => {
      if (position < builtIn) return;
      const subject = `blueprints[${position - builtIn}]`;
      const id = blueprint?.id;
      if (typeof id !== 'string' || !KEBAB_CASE.test(id) || typeof blueprint.create !== 'function' || typeof blueprint.validate !== 'function') {
        problems.push({ subject, problem: 'must be a blueprint: { id (kebab-case), description, validate, create }', value: id, fix: 'register the blueprint a package exports (npx fleet new blueprint <name> creates one)' });
        return;
      }
      const first = this.blueprints.get(id);
      if (first !== blueprint) {
        const owner = DEFAULT_BLUEPRINTS.includes(first!) ? 'the built-in blueprint' : `blueprints[${this.registered.indexOf(first!) - builtIn}]`;
        problems.push({ subject: `${subject}.id`, problem: `is already the id of ${owner}; a second registration would replace it for every service naming it`, value: id, fix: `give your blueprint another id, e.g. "${id}-custom", and name that in its services` });
      }
    });
    return problems;
  }

  /**
   * Validates everything, then writes: the root files, every service, the retirements, and one
   * root install if a package.json changed. On a manifest problem nothing is written and the
   * process exits non-zero with every problem listed.
   */
  public synth(): void {
    try {
      this.synthOrThrow();
    } catch (error) {
      if (!(error instanceof FleetError)) throw error;
      process.stderr.write(`${error.message}\n`);
      process.exitCode = 1;
    }
  }

  /** Like `synth()` but throws `FleetManifestError` / `OwnedFileConflictError` instead of exiting. */
  public synthOrThrow(): void {
    // Each step is recorded before it runs, so a synthesis that is killed names the service it
    // stopped in; the completion record is written only once everything below returned.
    recordedSynthesis(this, this.rootStep(), () => this.synthEverything());
  }

  private synthEverything(): string[] {
    const problems = this.validate();
    if (problems.length > 0) throw new FleetManifestError(problems);
    const policyProblems: ManifestProblem[] = [];
    for (const service of this.manifest.services) {
      const { blueprint: id, files, ...options } = service;
      const blueprint = this.blueprints.get(id)!;
      for (const warning of blueprint.advise?.(options, `services["${service.name}"]`) ?? []) {
        process.stderr.write(`warning: ${warning}\n`);
      }
      const project = blueprint.create(options, path.join(this.outdir, PROJECTS_DIR, service.name));
      // The file policies need the files the blueprint declares: checked once every service is
      // built, before anything is written, all services' problems at once.
      policyProblems.push(...FilePolicySet.of(project).override(files, `services["${service.name}"].files`).apply());
      this.services.push(project);
    }
    if (policyProblems.length > 0) throw new FleetManifestError(policyProblems);
    this.workspace.serviceNames = this.manifest.services.map((s) => s.name);
    const projects = [this, ...this.services];
    this.assertWritesContained(projects);
    assertNoOwnedFileOverwritten(projects);

    const packageManifests = this.workspace.readPackageManifests(projects);

    super.synth();
    for (const service of this.services) {
      recordSynthesisStep({ kind: 'service', name: service.name, outdir: service.outdir });
      service.synth();
    }
    recordSynthesisStep(this.rootStep());
    for (const name of this.retiredNames()) this.retire(name);
    this.workspace.installIfChanged(packageManifests, this.manifest.installAfterChange ?? true);
    return projects.map((p) => p.outdir);
  }

  private rootStep(): SynthesisStep {
    return { kind: 'fleet', name: this.name, outdir: this.outdir };
  }

  /**
   * Every path any project would write, and every retired service folder, checked before
   * anything is written: inside the fleet by its real path, not a symbolic link, not a folder
   * where a file belongs. All refusals at once; nothing written.
   */
  private assertWritesContained(projects: Project[]): void {
    const refusals: PathRefusal[] = [];
    const folders = [...projects.slice(1).map((p) => p.outdir), ...this.retiredNames().map((name) => path.join(this.outdir, PROJECTS_DIR, name))];
    for (const folder of folders) {
      const problem = folderProblem(this.outdir, folder);
      if (problem) refusals.push({ path: displayPath(folder), problem });
    }
    if (refusals.length === 0) for (const project of projects) refusals.push(...ContainedWrites.of(project).refusals());
    if (refusals.length > 0) throw new UnsafePathError(refusals, { nothingWritten: true });
  }

  /** Names of generated services on disk (a `projects/<name>/.projen/files.json`) that the manifest does not declare. */
  private servicesOnDiskNotDeclared(): string[] {
    const dir = path.join(this.outdir, PROJECTS_DIR);
    if (!existsSync(dir)) return [];
    const declared = new Set([...(Array.isArray(this.manifest.services) ? this.manifest.services : []).map((s) => s?.name), ...this.retiredNames()]);
    return readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && !declared.has(entry.name))
      .filter((entry) => existsSync(path.join(dir, entry.name, '.projen', 'files.json')))
      .map((entry) => entry.name)
      .sort();
  }

  /**
   * Removes a retired service's managed files, keeps its owned files and says which were kept.
   * Deletes only what `.projen/files.json` lists that is a regular file inside the service folder
   * (by its real path, never through a link) and carries projen's marker: the list is committed,
   * so a crafted one (`../../README.md`, an absolute path) deletes nothing outside it. When the
   * list cannot be read, the marked files in the folder are taken as the list.
   */
  private retire(name: string): void {
    const dir = path.join(this.outdir, PROJECTS_DIR, name);
    const manifest = readFileManifest(dir);
    let managed = manifest.files ?? [];
    if (manifest.files === undefined) {
      managed = listFiles(dir).filter((file) => kindOf(path.join(dir, file)) === 'file' && readFileSync(path.join(dir, file), 'utf-8').includes(PROJEN_MARKER));
      process.stderr.write(`retired service "${name}": ${manifest.error} Taking the ${managed.length} files there that carry projen's marker as its managed files.\n`);
    } else if (manifest.error) {
      process.stderr.write(`retired service "${name}": ${manifest.error}\n`);
    }
    const refused: string[] = [];
    if (managed.length > 0) {
      // The list itself last: a run stopped half-way still knows what is left to remove.
      for (const file of [...managed.filter((f) => f !== FILE_MANIFEST), FILE_MANIFEST]) {
        // The list itself is projen's state file, read just now: removed when it is a regular file.
        const problem = file === FILE_MANIFEST ? removeStateFile(dir, file) : removeMarkedFile(dir, file, PROJEN_MARKER);
        if (problem) refused.push(`  ${isRelativeInside(file) ? file : JSON.stringify(file)}: ${problem}; not deleted\n`);
      }
      removeEmptyDirs(dir);
    }
    if (refused.length > 0) {
      process.stderr.write(`retired service "${name}": ${FILE_MANIFEST} listed ${refused.length} path${refused.length === 1 ? '' : 's'} that ${refused.length === 1 ? 'is' : 'are'} not a generated file inside its folder:\n${refused.join('')}`);
    }
    // Build output (cdk.out/, coverage/) is neither managed nor the team's work: left as it is,
    // named once, not listed file by file on every run.
    const kept = existsSync(dir) ? listFiles(dir, '', BUILD_OUTPUT) : [];
    const output = BUILD_OUTPUT.filter((folder) => existsSync(path.join(dir, folder)));
    if (kept.length > 0) {
      process.stderr.write(
        `retired service "${name}": ${managed.length > 0 ? 'managed files removed; ' : ''}kept ${kept.length} file${kept.length === 1 ? '' : 's'} its team owns in ${path.relative(this.outdir, dir) || dir}/:\n` +
          kept.map((f) => `  ${f}\n`).join('') +
          (output.length > 0 ? `(and build output, not listed: ${output.map((f) => `${f}/`).join(', ')})\n` : '') +
          'Move them where they belong, then delete the folder and remove the name from retired.\n',
      );
    }
  }
}

/** Marks the root `.projenrc.ts` (the fleet manifest, owned by the platform team) and runs it with tsx. */
class FleetProjenrc extends ProjenrcFile {
  public readonly filePath = '.projenrc.ts';
  constructor(project: Project) {
    super(project);
    project.defaultTask?.exec(PROJENRC_COMMAND);
  }
}

/**
 * Refuses to synthesize when a managed file would overwrite a file on disk that projen did not
 * generate (not in the project's `.projen/files.json` and without projen's marker): that file
 * belongs to a team. Checked for every project before anything is written.
 */
function assertNoOwnedFileOverwritten(projects: Project[]): void {
  const conflicts: string[] = [];
  for (const project of projects) {
    const previous = new Set(readManagedList(project.outdir));
    const owned = ownedPaths(project.outdir);
    for (const file of project.files) {
      const full = path.join(project.outdir, file.path);
      // Links and folders were refused before (assertWritesContained). The file list is projen's
      // own state: when it does not parse, it is rebuilt, never a team's file.
      if (kindOf(full) !== 'file' || previous.has(file.path) || file.path === FILE_MANIFEST) continue;
      // The marker vouches for a file only where projen writes it (first or last lines), and never for
      // a file the ledger records as the team's: a handler or test may quote the marker's text.
      if (!owned.has(file.path) && hasProjenMarker(readFileSync(full, 'utf-8'))) continue;
      conflicts.push(path.relative(process.cwd(), full) || file.path);
    }
  }
  if (conflicts.length > 0) {
    throw new OwnedFileConflictError(
      formatProblemList(
        conflicts.map((file) => ({
          subject: file,
          problem: 'would be overwritten by a managed file, but projen did not generate it (it is a team\'s file)',
          fix: 'move or rename it (it is yours), or keep it owned (no always-update policy in the service\'s files), then run "npx projen" again',
        })),
        'Regeneration',
        '; no file was changed',
      ),
    );
  }
}

/** Paths the project's owned-file ledger records as the team's; none when it cannot be read (that error is raised where the ledger is used). */
function ownedPaths(outdir: string): Set<string> {
  try {
    return new Set(Object.keys(readOwnedLedger(outdir).files));
  } catch (error) {
    if (error instanceof OwnedLedgerError) return new Set();
    throw error;
  }
}

/**
 * projen's marker where projen writes it: a comment on the first line (the second after a
 * shebang) of a text file, the `"//"` key that ends a JSON file. Elsewhere in a file it is text
 * the team wrote (a comment quoting it, a test asserting it).
 */
function hasProjenMarker(text: string): boolean {
  const lines = text.trimEnd().split('\n');
  return [...lines.slice(0, 2), ...lines.slice(-2)].some((line) => line.includes(PROJEN_MARKER));
}

/** The previous managed list; when it cannot be read, only the marker on disk vouches for a file. */
function readManagedList(outdir: string): string[] {
  return readFileManifest(outdir).files ?? [];
}

/** Folders of a service that hold build output, as its .gitignore says: never a team's files. */
const BUILD_OUTPUT = ['cdk.out', 'coverage'];

function listFiles(dir: string, prefix = '', skipTopLevel: readonly string[] = []): string[] {
  return readdirSync(path.join(dir, prefix), { withFileTypes: true }).flatMap((entry) => {
    const rel = path.posix.join(prefix, entry.name);
    if (entry.name === 'node_modules') return [];
    if (prefix === '' && skipTopLevel.includes(entry.name)) return [];
    // A link to a folder is listed as itself, never followed.
    return entry.isDirectory() ? listFiles(dir, rel) : [rel];
  });
}

function removeEmptyDirs(dir: string): void {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory() && entry.name !== 'node_modules') removeEmptyDirs(path.join(dir, entry.name));
  }
  if (readdirSync(dir).length === 0) rmdirSync(dir);
}
