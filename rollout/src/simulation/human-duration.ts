const UNITS: ReadonlyArray<[string, number]> = [['d', 86_400], ['h', 3_600], ['min', 60], ['s', 1]];

/**
 * Seconds for people: the two largest non-zero units, rounded to the smaller one, e.g.
 * `45 s`, `12 min 5 s`, `1 h 52 min`, `4 d 3 h`; `0 s` for zero, milliseconds under a second.
 * Deterministic (no locale).
 */
export function humanDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return String(seconds);
  if (seconds < 0) return `-${humanDuration(-seconds)}`;
  if (seconds === 0) return '0 s';
  if (seconds < 0.9995) return `${Math.round(seconds * 1000)} ms`;
  let first = largestUnit(seconds);
  let rounded = roundToSecondUnit(seconds, first);
  // Rounding can carry into a larger unit (59 min 59.6 s -> 1 h): settle on the rounded value.
  if (largestUnit(rounded) !== first) {
    first = largestUnit(rounded);
    rounded = roundToSecondUnit(seconds, first);
  }
  const parts: string[] = [];
  let rest = rounded;
  for (const [name, size] of UNITS.slice(first, first + 2)) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0) parts.push(`${n} ${name}`);
  }
  return parts.join(' ');
}

function largestUnit(seconds: number): number {
  const i = UNITS.findIndex(([, size]) => seconds >= size);
  return i < 0 ? UNITS.length - 1 : i;
}

function roundToSecondUnit(seconds: number, first: number): number {
  const size = UNITS[Math.min(first + 1, UNITS.length - 1)][1];
  return Math.round(seconds / size) * size;
}
