import { existsSync, readdirSync, readFileSync } from 'fs';
import * as path from 'path';
import { Deployment } from '@fleet/contracts';
// Subpaths free of projen, not the package index: the CLI must not load projen to start.
import { FilePolicy, filesByPolicy, hasConflictMarkers, OwnedLedgerError, OwnedUpdate, planOwnedUpdates, readOwnedLedger } from '@fleet/blueprints/owned';
import { UnsafePathError } from '@fleet/blueprints/files';
import { deploymentOf, listServices } from '../fleet-root';
import { declaredRetiredNames, declaredServiceNames } from '../scaffold/manifest-entry';

/** What `fleet status` knows about one generated service, from its folder alone (no AWS call). */
export interface ServiceStatus {
  readonly name: string;
  /** The blueprint that generates it (package.json `fleet.blueprint`). */
  readonly blueprint?: string;
  /** The `@fleet/blueprints` version it was generated with (its package.json). */
  readonly blueprintVersion?: string;
  /** The service's own package.json version. */
  readonly version?: string;
  readonly deployedTo: Deployment;
  /** Owned files whose blueprint sample moved on and whose update the team has not taken (the ledger's proposals). */
  readonly ownedUpdates: ReadonlyArray<Pick<OwnedUpdate, 'path' | 'status' | 'conflicts'>>;
  /** Owned files still holding the conflict markers `fleet owned --apply --with-conflicts` wrote. */
  readonly unresolvedConflicts: readonly string[];
  /** How many files the last `npx projen` wrote under each file policy (managed: `always-update`). */
  readonly filesByPolicy?: Readonly<Record<FilePolicy, number>>;
  /** Why the owned files could not be read (a broken ledger); the other fields still hold. */
  readonly problem?: string;
}

/** A service moved to `retired` in the manifest. */
export interface RetiredStatus {
  readonly name: string;
  /** Files its team owned, still in projects/<name>/ (empty when the folder is gone). */
  readonly keptFiles: readonly string[];
}

/** The fleet as its repository says it is. */
export interface FleetStatus {
  readonly services: readonly ServiceStatus[];
  /** Declared in `services` of the manifest but not generated under projects/ yet. */
  readonly notGenerated: readonly string[];
  readonly retired: readonly RetiredStatus[];
}

/** Folders a retired service may keep that are build output or installs, not files a team owns (gitignored). */
const NOT_OWNED_FOLDERS = new Set(['node_modules', 'cdk.out', 'lib', 'coverage', '.git']);

/** The status of every service of the fleet at `root`, read from disk: package.json, the owned-file ledger, the manifest. */
export function fleetStatus(root: string): FleetStatus {
  const generated = listServices(root);
  const manifest = readManifest(root);
  const declared = manifest === undefined ? generated : declaredServiceNames(manifest);
  const retiredNames = manifest === undefined ? [] : declaredRetiredNames(manifest);
  return {
    services: generated.map((name) => serviceStatus(name, path.join(root, 'projects', name))),
    notGenerated: declared.filter((name) => !generated.includes(name) && !retiredNames.includes(name)),
    retired: retiredNames.map((name) => ({ name, keptFiles: keptFiles(path.join(root, 'projects', name)) })),
  };
}

/** What a service's package.json says about it: name, blueprint, versions, deployment target. */
export type ServiceIdentity = Pick<ServiceStatus, 'name' | 'blueprint' | 'blueprintVersion' | 'version' | 'deployedTo'>;

/** A service's identity, from its package.json (the `fleet` field its blueprint writes). */
export function serviceIdentity(name: string, dir: string): ServiceIdentity {
  const pkg = readPackageJson(dir);
  return {
    name,
    blueprint: typeof pkg?.fleet?.blueprint === 'string' ? pkg.fleet.blueprint : undefined,
    blueprintVersion: pkg?.devDependencies?.['@fleet/blueprints'] ?? pkg?.dependencies?.['@fleet/blueprints'],
    version: typeof pkg?.version === 'string' ? pkg.version : undefined,
    deployedTo: deploymentOf(dir),
  };
}

/** One service's status, from its folder. */
export function serviceStatus(name: string, dir: string): ServiceStatus {
  const base = serviceIdentity(name, dir);
  try {
    const ownedUpdates = planOwnedUpdates(dir).map((u) => ({ path: u.path, status: u.status, conflicts: u.conflicts }));
    const ledger = readOwnedLedger(dir);
    const unresolvedConflicts = Object.entries(ledger.files)
      .filter(([file, entry]) => entry.writtenWithConflicts && entry.proposed === undefined && hasMarkers(dir, file))
      .map(([file]) => file)
      .sort();
    const byPolicy = Object.fromEntries(Object.entries(filesByPolicy(dir)).map(([policy, files]) => [policy, files.length])) as Record<FilePolicy, number>;
    return { ...base, ownedUpdates, unresolvedConflicts, filesByPolicy: byPolicy };
  } catch (error) {
    if (error instanceof OwnedLedgerError || error instanceof UnsafePathError) return { ...base, ownedUpdates: [], unresolvedConflicts: [], problem: error.message };
    throw error;
  }
}

function hasMarkers(dir: string, file: string): boolean {
  try {
    return hasConflictMarkers(readFileSync(path.join(dir, file), 'utf-8'));
  } catch {
    return false;
  }
}

function readPackageJson(dir: string): any {
  try {
    return JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf-8'));
  } catch {
    return undefined;
  }
}

function readManifest(root: string): string | undefined {
  const file = path.join(root, '.projenrc.ts');
  return existsSync(file) ? readFileSync(file, 'utf-8') : undefined;
}

/** Files left in a retired service's folder, relative to it, sorted; build output and installs aside. */
function keptFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const files: string[] = [];
  const walk = (relative: string): void => {
    for (const entry of readdirSync(path.join(dir, relative), { withFileTypes: true })) {
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!NOT_OWNED_FOLDERS.has(entry.name)) walk(child);
      } else {
        files.push(child);
      }
    }
  };
  walk('');
  return files.sort();
}
