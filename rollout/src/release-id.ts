import { createHash } from 'crypto';
import { RELEASE_ID_PATTERN, StackParameter } from '@fleet/contracts';

/** What a release id is computed over: exactly what a deployment would change. */
export interface ReleaseContent {
  readonly service: string;
  /** The template body as deployed (bytes, not parsed: any change is a new release). */
  readonly templateBody: string;
  readonly assetHashes: readonly string[];
  readonly parameters: readonly StackParameter[];
}

/** SHA-256 hex of `text`. */
export function sha256(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * The content address of a release (contracts `RELEASE_ID_PATTERN`): the service name and the
 * first 16 hex digits of SHA-256 over the template hash, the sorted asset hashes and the
 * parameters sorted by key. The service version and the build time are left out, so rebuilding
 * unchanged sources gives the same id and tenants at that id are skipped.
 */
export function releaseId(content: ReleaseContent): string {
  const canonical = JSON.stringify({
    template: sha256(content.templateBody),
    assets: [...new Set(content.assetHashes)].sort(),
    parameters: [...content.parameters].sort((a, b) => a.ParameterKey.localeCompare(b.ParameterKey)).map((p) => [p.ParameterKey, p.ParameterValue]),
  });
  const id = `${content.service}-${sha256(canonical).slice(0, 16)}`;
  if (!RELEASE_ID_PATTERN.test(id)) throw new Error(`Release id ${JSON.stringify(id)} does not match RELEASE_ID_PATTERN: the service name must be lowercase letters, digits and hyphens.`);
  return id;
}
