/**
 * Deterministic draws keyed by what they are about (account, stack, change set), not by call
 * order, so a retried or reordered call sees the same duration and the same injected failure.
 */
import { SeededRandom } from '../../local/random';

/** FNV-1a over the parts, mixed with the seed. */
function hash(seed: number, parts: readonly string[]): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (const part of parts) {
    for (let i = 0; i < part.length; i++) {
      h ^= part.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    h ^= 0x2f;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** A float in [0, 1) determined by `seed` and `parts`. */
export function draw(seed: number, ...parts: string[]): number {
  return new SeededRandom(hash(seed, parts)).next();
}

/** A duration range in seconds, drawn uniformly. */
export interface SecondsRange {
  readonly min: number;
  readonly max: number;
}

export function drawSeconds(range: SecondsRange, seed: number, ...parts: string[]): number {
  return range.min + (range.max - range.min) * draw(seed, ...parts);
}
