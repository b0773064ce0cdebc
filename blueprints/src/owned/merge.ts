import { diffArrays } from 'diff';

/** The outcome of merging a blueprint update into a team's owned file. */
export interface OwnedMerge {
  /** The merged text; with conflicts, the conflicting regions carry git-style markers. */
  readonly text: string;
  /** Regions where the team and the blueprint changed the same lines differently. */
  readonly conflicts: number;
}

/** Labels written on conflict markers. */
export interface MergeLabels {
  readonly ours: string;
  readonly base: string;
  readonly theirs: string;
}

const DEFAULT_LABELS: MergeLabels = { ours: 'yours', base: 'blueprint before', theirs: 'blueprint now' };

/**
 * Three-way merge, line by line (diff3 over jsdiff's Myers diffs, below): the team's file (`ours`), what the blueprint
 * generated before (`base`) and what it generates now (`theirs`). Changes on one side only are
 * taken; the same change on both sides is taken once; different changes to the same lines are a
 * conflict, written with `<<<<<<<`, `|||||||`, `=======`, `>>>>>>>` markers (diff3 style, so the
 * base is visible).
 */
export function mergeOwned(ours: string, base: string, theirs: string, labels: MergeLabels = DEFAULT_LABELS): OwnedMerge {
  // A checkout with CRLF line ends (git autocrlf on Windows) must not make every line a change:
  // merge with LF, then give the result the team's line ends (only when every line has CRLF).
  if (ours.includes('\r\n') && !/(^|[^\r])\n/.test(ours)) {
    const merged = mergeOwned(toLf(ours), toLf(base), toLf(theirs), labels);
    return { text: merged.text.replace(/\n/g, '\r\n'), conflicts: merged.conflicts };
  }
  if (ours === base) return { text: theirs, conflicts: 0 };
  if (theirs === base || ours === theirs) return { text: ours, conflicts: 0 };
  const regions = diff3Regions(ours.split('\n'), base.split('\n'), theirs.split('\n'));
  // Appended line by line: `push(...lines)` passes every line as an argument and overflows the
  // stack past about 100,000 lines.
  const lines: string[] = [];
  const append = (more: readonly string[]) => {
    for (const line of more) lines.push(line);
  };
  let conflicts = 0;
  for (const region of regions) {
    if (region.ok) {
      append(region.ok);
      continue;
    }
    conflicts++;
    lines.push(`<<<<<<< ${labels.ours}`);
    append(region.a);
    lines.push(`||||||| ${labels.base}`);
    append(region.o);
    lines.push('=======');
    append(region.b);
    lines.push(`>>>>>>> ${labels.theirs}`);
  }
  return { text: lines.join('\n'), conflicts };
}

/** A stretch of the merge: lines all agree on (`ok`), or a conflict with each side's lines. */
type Region = { ok: string[]; a?: never; o?: never; b?: never } | { ok?: never; a: string[]; o: string[]; b: string[] };

/** One side's change: base lines [oStart, oEnd) replaced by that side's lines [start, end). */
interface Hunk {
  readonly side: 'a' | 'b';
  readonly oStart: number;
  readonly oEnd: number;
  readonly start: number;
  readonly end: number;
}

/**
 * The most edits a two-way diff looks for before the whole file is taken as changed. Myers'
 * diff costs about lines x edits; past this, the merge is one conflict (the file is left as
 * it is) rather than minutes of work. A count, not a timeout, so the result never depends on
 * the machine.
 */
const MAX_EDITS = 4000;

/**
 * diff3 over two Myers diffs (base to ours, base to theirs; jsdiff `diffArrays`, iterative):
 * changes of one side are taken, changes of both sides to overlapping or touching base lines
 * are a conflict unless both made the same change. node-diff3's own LCS was used before; it
 * costs lines x matching lines (20 s for a 100,000-line file with one edit on each side).
 */
function diff3Regions(a: string[], o: string[], b: string[]): Region[] {
  const hunksA = hunksOf(o, a, 'a');
  const hunksB = hunksOf(o, b, 'b');
  if (!hunksA || !hunksB) return [{ a, o, b }];
  const hunks = [...hunksA, ...hunksB].sort((x, y) => x.oStart - y.oStart || (x.side === 'a' ? -1 : 1));
  const regions: Region[] = [];
  const pushOk = (lines: string[]) => {
    if (lines.length === 0) return;
    const last = regions[regions.length - 1];
    if (last?.ok) for (const line of lines) last.ok.push(line);
    else regions.push({ ok: lines });
  };
  let oPos = 0;
  for (let i = 0; i < hunks.length;) {
    const group = [hunks[i]];
    const oStart = hunks[i].oStart;
    let oEnd = hunks[i].oEnd;
    let j = i + 1;
    while (j < hunks.length && hunks[j].oStart <= oEnd) {
      oEnd = Math.max(oEnd, hunks[j].oEnd);
      group.push(hunks[j++]);
    }
    pushOk(o.slice(oPos, oStart));
    const sideA = sideLines(a, group.filter((h) => h.side === 'a'), oStart, oEnd, o);
    const sideB = sideLines(b, group.filter((h) => h.side === 'b'), oStart, oEnd, o);
    const onlyOneSide = group.every((h) => h.side === group[0].side);
    if (onlyOneSide) pushOk(group[0].side === 'a' ? sideA : sideB);
    else if (sideA.length === sideB.length && sideA.every((line, k) => line === sideB[k])) pushOk(sideA);
    else regions.push({ a: sideA, o: o.slice(oStart, oEnd), b: sideB });
    oPos = oEnd;
    i = j;
  }
  pushOk(o.slice(oPos));
  return regions;
}

/** The changes from `o` to `x`, or undefined past `MAX_EDITS`. */
function hunksOf(o: string[], x: string[], side: 'a' | 'b'): Hunk[] | undefined {
  const changes = diffArrays(o, x, { maxEditLength: MAX_EDITS });
  if (!changes) return undefined;
  const hunks: Hunk[] = [];
  let oi = 0;
  let xi = 0;
  let current: { oStart: number; oEnd: number; start: number; end: number } | undefined;
  for (const change of changes) {
    const count = change.count ?? change.value.length;
    if (!change.added && !change.removed) {
      if (current) hunks.push({ side, ...current });
      current = undefined;
      oi += count;
      xi += count;
      continue;
    }
    current ??= { oStart: oi, oEnd: oi, start: xi, end: xi };
    if (change.removed) current.oEnd = oi += count;
    else current.end = xi += count;
  }
  if (current) hunks.push({ side, ...current });
  return hunks;
}

/** One side's lines standing for base lines [oStart, oEnd), given its hunks in that range. */
function sideLines(x: string[], hunks: Hunk[], oStart: number, oEnd: number, o: string[]): string[] {
  if (hunks.length === 0) return o.slice(oStart, oEnd);
  // Outside its hunks a side equals the base, shifted by what its hunks added or removed.
  const first = hunks[0];
  const last = hunks[hunks.length - 1];
  return x.slice(first.start - (first.oStart - oStart), last.end + (oEnd - last.oEnd));
}

function toLf(text: string): string {
  return text.replace(/\r\n/g, '\n');
}

/**
 * True when `text` still holds the conflict markers `mergeOwned` writes (the exact lines, with
 * its labels). Only asked for a file the ledger records as written with conflicts: marker-like
 * lines in a team's own file mean nothing.
 */
export function hasConflictMarkers(text: string, labels: MergeLabels = DEFAULT_LABELS): boolean {
  const lines = new Set(text.replace(/\r\n/g, '\n').split('\n'));
  return lines.has(`<<<<<<< ${labels.ours}`) && lines.has('=======') && lines.has(`>>>>>>> ${labels.theirs}`);
}
