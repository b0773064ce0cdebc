/**
 * A float in [0, 1) from `seed` and four integer coordinates, by hashing rather than by drawing
 * from a stream: the value for (service, Region, account, purpose) does not depend on the order
 * a model visits them, so two modes run with one seed see the same stack times and failures.
 * (murmur3's mixing steps; ample for a schedule model, not for cryptography.)
 */
export function seededDraw(seed: number, a: number, b: number, c: number, d: number): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  h = mix(h, a);
  h = mix(h, b);
  h = mix(h, c);
  h = mix(h, d);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}

function mix(h: number, k: number): number {
  let x = Math.imul(k >>> 0, 0xcc9e2d51);
  x = Math.imul((x << 15) | (x >>> 17), 0x1b873593);
  h ^= x;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) >>> 0;
}
