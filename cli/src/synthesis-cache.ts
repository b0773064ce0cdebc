import { createHash } from 'crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, writeFileSync } from 'fs';
import * as path from 'path';
import type { SynthesizedService } from '@fleet/workflows';
import { LOCAL_RUN, loadServiceStack, registerTsx } from './service-stack';
import { printProgress } from './print';

/** Set to `off` to synthesize every time (the benchmark's baseline; a suspected stale template). */
export const CACHE_ENV = 'FLEET_SYNTH_CACHE';

/** Bumped when what goes into the key or the entry changes. */
const CACHE_FORMAT = 1;

/** Packages whose code shapes the synthesized template. */
const SYNTH_PACKAGES = ['@fleet/workflows', '@fleet/contracts', 'aws-cdk-lib', 'constructs'];

/** What `synthesizedService` returns. */
export interface CachedSynthesis {
  readonly service: SynthesizedService;
  /** Whether the entry was read from the cache (no synthesis). */
  readonly hit: boolean;
  readonly key: string;
  /** The entry's file; undefined with the cache off. */
  readonly file?: string;
}

/** What the caller of `synthesizedService` does with the service. */
export interface SynthesizedServiceOptions {
  /**
   * Whether this process runs the service's handlers (from their TypeScript sources, through tsx).
   * `fleet cost` reads only the template, so a hit loads no TypeScript loader (and no esbuild).
   * @default true
   */
  readonly runsHandlers?: boolean;
}

/**
 * The service in `dir` synthesized for a local run (no checks, no bundling), from a
 * content-addressed cache: the key hashes every input of the synthesis, so a changed input is
 * a miss and a hit is never stale. Shared by `fleet run`, `send`, `sfn`, `graph` and `cost`.
 */
export function synthesizedService(dir: string, name: string, options: SynthesizedServiceOptions = {}): CachedSynthesis {
  const key = synthesisKey(dir);
  const off = process.env[CACHE_ENV] === 'off';
  const file = off ? undefined : path.join(cacheDir(dir), `${key}.json`);
  if (file !== undefined && existsSync(file)) {
    try {
      const entry = JSON.parse(readFileSync(file, 'utf8')) as { key?: string; service?: SynthesizedService };
      if (entry.key === key && entry.service) {
        // The local runtime requires the handler sources (.ts).
        if (options.runsHandlers ?? true) registerTsx();
        return { service: entry.service, hit: true, key, file };
      }
    } catch {
      // A torn or foreign file: synthesize again and overwrite it.
    }
  }
  const { synthesizeService } = require(require.resolve('@fleet/workflows', { paths: [dir] })) as typeof import('@fleet/workflows');
  printProgress(`Synthesizing ${name} for a local run (not in the synthesis cache yet) ...`);
  const { stack } = loadServiceStack(dir, name, LOCAL_RUN);
  const service = synthesizeService(stack);
  if (file !== undefined) {
    mkdirSync(path.dirname(file), { recursive: true });
    // Written aside and renamed: a concurrent reader sees the whole entry or none.
    const partial = `${file}.${process.pid}.tmp`;
    writeFileSync(partial, JSON.stringify({ key, service }));
    renameSync(partial, file);
  }
  return { service, hit: false, key, file };
}

/**
 * The cache's key for the service in `dir`: sha256 of its sources (`src/**`), `package.json`
 * (its manifest options and dependency versions), `tsconfig.json`, the nearest lockfile, the
 * installed versions of the packages that shape a template (and the compiled code of those
 * linked from a workspace, whose version does not change with their code), the Node.js version,
 * the local-run synthesis options and the service's folder.
 */
export function synthesisKey(dir: string): string {
  const hash = createHash('sha256');
  const add = (label: string, content: string | Buffer) => {
    hash.update(`${label}\0${content.length}\0`);
    hash.update(content);
  };
  add('format', String(CACHE_FORMAT));
  add('node', process.version);
  add('options', JSON.stringify(LOCAL_RUN));
  // The entry records absolute handler paths: a copy of the service elsewhere is another entry.
  add('dir', path.resolve(dir));
  for (const file of ['package.json', 'tsconfig.json']) {
    const full = path.join(dir, file);
    if (existsSync(full)) add(file, readFileSync(full));
  }
  for (const file of filesUnder(path.join(dir, 'src'))) add(path.relative(dir, file), readFileSync(file));
  const lockfile = nearest(dir, 'package-lock.json');
  if (lockfile) add('package-lock.json', readFileSync(lockfile));
  for (const name of SYNTH_PACKAGES) {
    let manifest: string;
    try {
      manifest = require.resolve(`${name}/package.json`, { paths: [dir] });
    } catch {
      add(name, 'missing');
      continue;
    }
    add(`${name}/package.json`, readFileSync(manifest));
    const root = realpathSync(path.dirname(manifest));
    if (!root.split(path.sep).includes('node_modules')) {
      for (const file of filesUnder(path.join(root, 'lib'))) add(`${name}/${path.relative(root, file)}`, readFileSync(file));
    }
  }
  return hash.digest('hex');
}

/** `node_modules/.cache/fleet-synth` beside the aws-cdk-lib the service uses (git-ignored with node_modules). */
function cacheDir(dir: string): string {
  const cdk = path.dirname(require.resolve('aws-cdk-lib/package.json', { paths: [dir] }));
  return path.join(path.dirname(cdk), '.cache', 'fleet-synth');
}

/** Every file below `dir`, sorted, skipping node_modules. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (current: string) => {
    for (const entry of readdirSync(current, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules') walk(full);
      } else if (entry.isFile()) out.push(full);
    }
  };
  walk(dir);
  return out;
}

function nearest(dir: string, file: string): string | undefined {
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    const candidate = path.join(current, file);
    if (existsSync(candidate)) return candidate;
    if (path.dirname(current) === current) return undefined;
  }
}
