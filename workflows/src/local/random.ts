/** Two hex digits per byte value. */
const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

/**
 * A seeded pseudo-random source (mulberry32), so that jitter, `$random`, `States.MathRandom`,
 * UUIDs and task tokens are reproducible from one `seed` option.
 */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [start, end). */
  int(start: number, end: number): number {
    return start + Math.floor(this.next() * (end - start));
  }

  /** An RFC 4122 version-4 UUID drawn from this source. */
  uuid(): string {
    // One string built from a byte table: a UUID per execution and per task, so it is on the hot path.
    let out = '';
    for (let i = 0; i < 16; i++) {
      let byte = Math.floor(this.next() * 256);
      if (i === 6) byte = (byte & 0x0f) | 0x40;
      else if (i === 8) byte = (byte & 0x3f) | 0x80;
      out += HEX[byte];
      if (i === 3 || i === 5 || i === 7 || i === 9) out += '-';
    }
    return out;
  }
}

/** A float in [0, 1) derived only from `seed` (for `$random(seed)` and seeded MathRandom). */
export function randomFromSeed(seed: number): number {
  return new SeededRandom(seed).next();
}
