import { diff3Merge } from 'node-diff3';

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
 * Three-way merge, line by line (node-diff3): the team's file (`ours`), what the blueprint
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
  const regions = diff3Merge(ours.split('\n'), base.split('\n'), theirs.split('\n'), { excludeFalseConflicts: true });
  const lines: string[] = [];
  let conflicts = 0;
  for (const region of regions) {
    if (region.ok) {
      lines.push(...region.ok);
    } else if (region.conflict) {
      conflicts++;
      lines.push(`<<<<<<< ${labels.ours}`, ...region.conflict.a, `||||||| ${labels.base}`, ...region.conflict.o, '=======', ...region.conflict.b, `>>>>>>> ${labels.theirs}`);
    }
  }
  return { text: lines.join('\n'), conflicts };
}

function toLf(text: string): string {
  return text.replace(/\r\n/g, '\n');
}

/** True when `text` still has conflict markers from an earlier merge (a line starting with `<<<<<<< `). */
export function hasConflictMarkers(text: string): boolean {
  return /^<{7} /m.test(text) && /^>{7} /m.test(text);
}
