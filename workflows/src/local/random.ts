/** The character codes of the hex digits, and of the dash of a UUID. */
const HEX_CODES = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
const DASH = '-'.charCodeAt(0);
/** Scratch: one UUID's 36 character codes (filled and read within one call). */
const UUID_CODES: number[] = new Array(36).fill(0);

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
    // A UUID per execution and per task, so it is on the hot path: the 36 characters go into one
    // flat string at once (appending piece by piece built a rope of 20 nodes that lived on).
    const codes = UUID_CODES;
    let at = 0;
    for (let i = 0; i < 16; i++) {
      let byte = Math.floor(this.next() * 256);
      if (i === 6) byte = (byte & 0x0f) | 0x40;
      else if (i === 8) byte = (byte & 0x3f) | 0x80;
      codes[at++] = HEX_CODES[byte >> 4];
      codes[at++] = HEX_CODES[byte & 0x0f];
      if (i === 3 || i === 5 || i === 7 || i === 9) codes[at++] = DASH;
    }
    return String.fromCharCode.apply(null, codes as unknown as number[]);
  }
}

/** A float in [0, 1) derived only from `seed` (for `$random(seed)` and seeded MathRandom). */
export function randomFromSeed(seed: number): number {
  return new SeededRandom(seed).next();
}
