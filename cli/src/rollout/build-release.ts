import { RELEASE_ID_PATTERN, ReleaseManifest, StackParameter } from '@fleet/contracts';
import { writeFileAtomic } from '@fleet/blueprints/files';
import { releaseId, sha256 } from '@fleet/rollout';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'fs';
import { zipSync } from 'fflate';
import * as os from 'os';
import * as path from 'path';
import { synthesizeService } from '../cost/synth';
import { CliError } from '../errors';

/** Where built releases live at the fleet root (gitignored). */
export const RELEASES_DIR = path.join('.fleet', 'releases');

/** A file asset of a release: where the template expects it (from the cloud assembly's assets manifest). */
export interface ReleaseAsset {
  readonly hash: string;
  /** The bucket the template reads it from; `${AWS::Region}` stands for the deployment Region. */
  readonly bucketName: string;
  readonly objectKey: string;
  /** The zip inside the release folder, relative to it. */
  readonly file: string;
}

export interface BuiltRelease {
  readonly manifest: ReleaseManifest;
  /** The release folder, absolute. */
  readonly dir: string;
  readonly assets: readonly ReleaseAsset[];
  /** False when the release already existed (same content, same id): nothing was rewritten. */
  readonly created: boolean;
}

export interface BuildReleaseOptions {
  readonly parameters: readonly StackParameter[];
  /** Replaceable in tests; the CLI's one synthesis path (also `fleet cost`'s). */
  readonly synthesize?: (root: string, service: string, out: string) => Promise<string>;
  readonly now?: Date;
}

/**
 * Builds the release of `service`: synthesizes it, takes the template and its file assets (asset
 * hashes from the cloud assembly's assets manifest), computes the content-addressed release id and
 * writes `.fleet/releases/<service>/<releaseId>/` (template.json, assets.json, assets/<hash>.zip,
 * then release.json last, so a folder without it is an interrupted build). A release that exists
 * is immutable: it is returned as it is.
 */
export async function buildRelease(root: string, service: string, options: BuildReleaseOptions): Promise<BuiltRelease> {
  const out = mkdtempSync(path.join(os.tmpdir(), `fleet-release-${service}-`));
  try {
    const templateFile = await (options.synthesize ?? synthesizeService)(root, service, out);
    const templateBody = readFileSync(templateFile, 'utf-8');
    checkParameters(service, templateBody, options.parameters);
    const files = readAssetsManifest(out, service);
    const id = releaseId({ service, templateBody, assetHashes: files.map((f) => f.hash), parameters: options.parameters });
    const relativeDir = path.join(RELEASES_DIR, service, id);
    const dir = path.join(root, relativeDir);
    const assets: ReleaseAsset[] = files.map((f) => ({ hash: f.hash, bucketName: f.bucketName, objectKey: f.objectKey, file: path.posix.join('assets', `${f.hash}.zip`) }));
    if (existsSync(path.join(dir, 'release.json'))) {
      return { ...readBuiltRelease(root, service, id), created: false };
    }
    for (const [i, f] of files.entries()) writeFileAtomic(root, path.join(relativeDir, assets[i].file), f.zip());
    writeFileAtomic(root, path.join(relativeDir, 'template.json'), templateBody);
    writeFileAtomic(root, path.join(relativeDir, 'assets.json'), `${JSON.stringify(assets, null, 2)}\n`);
    const manifest: ReleaseManifest = {
      releaseId: id,
      service,
      version: serviceVersion(root, service),
      templateHash: sha256(templateBody),
      assetHashes: files.map((f) => f.hash),
      parameters: options.parameters,
      createdAt: (options.now ?? new Date()).toISOString(),
    };
    writeFileAtomic(root, path.join(relativeDir, 'release.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    writeFileAtomic(root, path.join(RELEASES_DIR, service, 'latest'), `${id}\n`);
    return { manifest, dir, assets, created: true };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** A built release, by id or (without one) the latest built; "release not built" when there is none. */
export function readBuiltRelease(root: string, service: string, id?: string): Omit<BuiltRelease, 'created'> {
  const found = findBuiltRelease(root, service, id);
  if (!found) {
    throw new CliError(`No release of ${service}${id ? ` with id ${id}` : ''} is built in ${path.join(root, RELEASES_DIR, service)}. Fix: run npx fleet release ${service} (or npx fleet release --all) first.`);
  }
  return found;
}

/** As readBuiltRelease, but undefined when none is built; an id or pointer that is not a release id of the service is an error. */
export function findBuiltRelease(root: string, service: string, id?: string): Omit<BuiltRelease, 'created'> | undefined {
  const serviceDir = path.join(root, RELEASES_DIR, service);
  const latest = path.join(serviceDir, 'latest');
  const releaseIdToRead = id ?? (existsSync(latest) ? readFileSync(latest, 'utf-8').trim() : undefined);
  if (releaseIdToRead === undefined) return undefined;
  // The id names a folder: a hand-edited `latest` or a given id must not reach outside the service's releases.
  if (!(RELEASE_ID_PATTERN.test(releaseIdToRead) && releaseIdToRead.startsWith(`${service}-`))) {
    const source = id !== undefined ? 'Release id' : `Release pointer ${path.relative(root, latest)}`;
    throw new CliError(`${source}: not a release id of ${service}, got ${JSON.stringify(releaseIdToRead)}. Fix: use an id of the form ${service}-<16 hex digits> (npx fleet release ${service} rewrites the pointer).`);
  }
  const dir = path.join(serviceDir, releaseIdToRead);
  if (!existsSync(path.join(dir, 'release.json'))) return undefined;
  return {
    manifest: JSON.parse(readFileSync(path.join(dir, 'release.json'), 'utf-8')) as ReleaseManifest,
    dir,
    assets: JSON.parse(readFileSync(path.join(dir, 'assets.json'), 'utf-8')) as ReleaseAsset[],
  };
}

function serviceVersion(root: string, service: string): string {
  try {
    return String(JSON.parse(readFileSync(path.join(root, 'projects', service, 'package.json'), 'utf-8')).version ?? '0.0.0');
  } catch {
    return '0.0.0';
  }
}

function checkParameters(service: string, templateBody: string, parameters: readonly StackParameter[]): void {
  const declared = Object.keys((JSON.parse(templateBody) as { Parameters?: Record<string, unknown> }).Parameters ?? {});
  const unknown = parameters.filter((p) => !declared.includes(p.ParameterKey)).map((p) => p.ParameterKey);
  if (unknown.length > 0) {
    throw new CliError(`Release parameters ${unknown.join(', ')}: not parameters of the ${service} template, got ${JSON.stringify(unknown)}. Fix: use only ${declared.join(', ') || '(the template has no parameters)'}.`);
  }
}

interface AssemblyFile {
  readonly hash: string;
  readonly bucketName: string;
  readonly objectKey: string;
  zip(): Uint8Array;
}

/** The file assets of the service's stack, from `<stack>.assets.json` in its cloud assembly. */
function readAssetsManifest(out: string, service: string): AssemblyFile[] {
  const manifestFile = [path.join(out, `${service}.assets.json`), ...readdirSync(out).filter((f) => f.endsWith('.assets.json')).map((f) => path.join(out, f))].find(existsSync);
  if (!manifestFile) return [];
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf-8')) as {
    files?: Record<string, { source: { path: string; packaging?: string }; destinations: Record<string, { bucketName: string; objectKey: string }> }>;
    dockerImages?: Record<string, unknown>;
  };
  if (Object.keys(manifest.dockerImages ?? {}).length > 0) {
    throw new CliError(`Service ${service} has Docker image assets (${Object.keys(manifest.dockerImages!).join(', ')}): a release carries file assets only. Fix: bundle the function as a zip (the blueprints' esbuild bundling) instead of a container image.`);
  }
  return Object.entries(manifest.files ?? {})
    .filter(([, f]) => !f.source.path.endsWith('.template.json'))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([hash, f]) => {
      const destination = Object.values(f.destinations)[0];
      const source = path.join(out, f.source.path);
      return { hash, bucketName: destination.bucketName, objectKey: destination.objectKey, zip: () => zipAsset(source, f.source.packaging) };
    });
}

// A fixed time inside the zip format's range: the same folder always gives the same bytes.
const ZIP_MTIME = new Date('1980-01-01T00:00:00Z');

function zipAsset(source: string, packaging: string | undefined): Uint8Array {
  if (packaging === 'file' || statSync(source).isFile()) return readFileSync(source);
  const entries: Record<string, Uint8Array> = {};
  const walk = (dir: string, prefix: string) => {
    for (const name of readdirSync(dir).sort()) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full, `${prefix}${name}/`);
      else entries[`${prefix}${name}`] = readFileSync(full);
    }
  };
  walk(source, '');
  return zipSync(entries, { level: 6, mtime: ZIP_MTIME });
}
