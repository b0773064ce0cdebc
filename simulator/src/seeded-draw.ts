/**
 * A float in [0, 1) determined by a seed and what it is about (FNV-1a over the parts, then one
 * xorshift round): the simulator's own draws (per-service stack times, the crash point), keyed
 * by meaning, not by call order, so adding a draw never shifts another.
 */
export function drawUnit(seed: number, ...parts: string[]): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (const part of parts) {
    for (let i = 0; i < part.length; i++) {
      h ^= part.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    h ^= 0x2f;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  h ^= h << 13;
  h ^= h >>> 17;
  h ^= h << 5;
  return (h >>> 0) / 0x1_0000_0000;
}
