import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import { readFileSync } from 'fs';
import { createServer, Server } from 'http';
import { AddressInfo } from 'net';
import * as path from 'path';

/**
 * The smallest faithful npm registry for one scope, on loopback: what npm reads to resolve and
 * fetch a package (the packument at `/<name>` with `dist-tags`, `versions`, each version's
 * `dist.tarball` and `dist.integrity`, and the tarball itself), served from `npm pack` tarballs.
 * It stands in for the team's own registry of `@fleet/*` packages; every other package comes
 * from npm's usual registry (or its cache) as in a real copied-out repository.
 */
export interface LocalRegistry {
  /** `http://127.0.0.1:<port>/`, the value of `@fleet:registry` in `.npmrc`. */
  readonly url: string;
  /** Publishes a tarball (the package name and version are read from its package.json). */
  publish(tarball: string): void;
  /** Names of the requests served, e.g. `GET /@fleet%2fblueprints`. */
  readonly requests: string[];
  close(): Promise<void>;
}

interface Published {
  readonly manifest: Record<string, any>;
  readonly file: string;
}

export async function startLocalRegistry(): Promise<LocalRegistry> {
  const packages = new Map<string, Map<string, Published>>();
  const requests: string[] = [];
  let url = '';
  const server: Server = createServer((request, response) => {
    requests.push(`${request.method} ${request.url}`);
    const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname).replace(/^\/+/, '');
    const tarball = /^-\/(.+)\/(.+\.tgz)$/.exec(pathname);
    if (tarball) {
      const hit = [...(packages.get(tarball[1])?.values() ?? [])].find((p) => path.basename(p.file) === tarball[2]);
      if (!hit) return notFound(response);
      response.writeHead(200, { 'content-type': 'application/octet-stream' });
      return response.end(readFileSync(hit.file));
    }
    const versions = packages.get(pathname);
    if (!versions) return notFound(response);
    const published = [...versions.values()];
    const latest = published[published.length - 1].manifest.version;
    const packument = {
      name: pathname,
      'dist-tags': { latest },
      versions: Object.fromEntries(published.map(({ manifest, file }) => {
        const bytes = readFileSync(file);
        return [manifest.version, {
          ...manifest,
          _id: `${manifest.name}@${manifest.version}`,
          dist: {
            tarball: `${url}-/${manifest.name}/${path.basename(file)}`,
            integrity: `sha512-${createHash('sha512').update(bytes).digest('base64')}`,
            shasum: createHash('sha1').update(bytes).digest('hex'),
          },
        }];
      })),
    };
    // Not kept in npm's cache (prefer-offline would serve a cached packument that predates a
    // later publish): every resolution sees what is published now.
    response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    response.end(JSON.stringify(packument));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return {
    url,
    requests,
    publish(file: string) {
      const manifest = JSON.parse(spawnSync('tar', ['-xzOf', file, 'package/package.json'], { encoding: 'utf-8' }).stdout);
      if (!packages.has(manifest.name)) packages.set(manifest.name, new Map());
      packages.get(manifest.name)!.set(manifest.version, { manifest, file });
    },
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

function notFound(response: import('http').ServerResponse): void {
  response.writeHead(404, { 'content-type': 'application/json' });
  response.end('{"error":"not found"}');
}
