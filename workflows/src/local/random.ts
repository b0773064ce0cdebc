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
    const bytes: number[] = [];
    for (let i = 0; i < 16; i++) bytes.push(Math.floor(this.next() * 256));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = bytes.map((b) => b.toString(16).padStart(2, '0')).join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }
}

/** A float in [0, 1) derived only from `seed` (for `$random(seed)` and seeded MathRandom). */
export function randomFromSeed(seed: number): number {
  return new SeededRandom(seed).next();
}
