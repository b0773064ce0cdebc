import { Problem } from '@fleet/contracts';
import { humanDuration } from './human-duration';
import { throwIfProblems } from './simulation-input-error';
import { StackUpdateInterval } from './stack-update-interval';

/** A vertical line at a time, labelled with its name and value (e.g. the lower bound, StackSets SOFT). */
export interface ChartMarker {
  readonly label: string;
  readonly seconds: number;
}

/** What {@link renderRolloutChart} draws. */
export interface RolloutChart {
  readonly title: string;
  /** Stack updates; one band per distinct `wave`, in order of each wave's first start. */
  readonly intervals: readonly StackUpdateInterval[];
  readonly markers: readonly ChartMarker[];
  readonly subtitle?: string;
  /** @default 900 */
  readonly width?: number;
  /** @default 400 */
  readonly height?: number;
  /** Time buckets the intervals are averaged into (the file's size depends on these, not on the intervals).
   * @default 400 */
  readonly bins?: number;
  /**
   * A marker later than this many times the last interval's end is drawn as an arrow at the
   * right edge with its value, so one far-off figure (StackSets STRICT) does not squash the bands.
   * @default 8
   */
  readonly offScaleFactor?: number;
}

// Tableau 10: distinct in print and for the common colour-vision deficiencies.
const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];
const TIME_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200, 86_400, 172_800, 604_800, 1_209_600, 2_592_000];
const FONT = 'system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif';
const CHAR_WIDTH = 6.2; // average advance of an 11 px sans-serif glyph, for laying out labels without a text engine
const MAX_INTERVAL_PROBLEMS = 10;
// Marker labels sit over the bands: a white outline painted under the glyphs keeps them readable.
const HALO = 'fill="#222" stroke="#ffffff" stroke-width="3" stroke-linejoin="round" paint-order="stroke"';

/**
 * A complete standalone SVG document (UTF-8, no scripts, no external references) of stack
 * updates in flight over virtual time: a stacked area with one coloured band per wave, the
 * markers as labelled vertical lines (off-scale ones as arrows at the right edge), time ticks in
 * minutes/hours/days, a legend and a title. Intervals are averaged into `bins` time buckets, so
 * 120,000 intervals give a file of tens of kilobytes. Every user-given text (title, wave names,
 * marker labels) is escaped.
 *
 * Written by hand rather than with a charting library: the chart is one stacked area, and
 * `@fleet/rollout` stays free of dependencies beyond `@fleet/contracts`.
 * @throws SimulationInputError with every bad field at once (at most ten bad intervals named)
 */
export function renderRolloutChart(chart: RolloutChart): string {
  const problems = chartProblems(chart);
  throwIfProblems(problems, 'renderRolloutChart');
  const width = chart.width ?? 900;
  const height = chart.height ?? 400;
  const binCount = chart.bins ?? 400;
  const factor = chart.offScaleFactor ?? 8;
  const plot = { left: 64, right: width - 24, top: chart.subtitle ? 62 : 46, bottom: height - 92 };

  // Time scale: the intervals plus every marker within reach; the rest are off-scale.
  let dataEnd = 0;
  for (const i of chart.intervals) if (i.endSeconds > dataEnd) dataEnd = i.endSeconds;
  const reference = dataEnd > 0 ? dataEnd : Math.max(0, ...chart.markers.map((m) => m.seconds));
  const onScale = chart.markers.filter((m) => m.seconds <= reference * factor);
  const offScale = chart.markers.filter((m) => m.seconds > reference * factor);
  const xMax = Math.max(1, dataEnd, ...onScale.map((m) => m.seconds)) * 1.04;
  const xOf = (s: number) => plot.left + (s / xMax) * (plot.right - plot.left);

  // Marker labels in rows above the bands, so that neighbours do not overlap; off-scale ones after them at the right edge.
  const rowEnds: number[] = [];
  const rowFor = (x0: number, x1: number) => {
    let row = rowEnds.findIndex((end) => end + 6 < x0);
    if (row < 0) row = rowEnds.push(x1) - 1;
    else rowEnds[row] = x1;
    return row;
  };
  const placed = [...onScale].sort((a, b) => a.seconds - b.seconds).map((m) => {
    const x = xOf(m.seconds);
    const text = `${m.label}: ${humanDuration(m.seconds)}`;
    const w = text.length * CHAR_WIDTH;
    const rightward = x + 4 + w <= plot.right;
    const x0 = rightward ? x + 4 : x - 4 - w;
    return { m, x, text, rightward, row: rowFor(x0, x0 + w) };
  });
  const offPlaced = [...offScale].sort((a, b) => a.seconds - b.seconds).map((m, i) => ({ m, row: rowEnds.length + i }));
  const labelRows = rowEnds.length + offPlaced.length;
  const rowY = (row: number) => plot.top + 10 + row * 13;
  // The bands and the y axis start below the label rows.
  const bandTop = plot.top + labelRows * 13 + (labelRows > 0 ? 4 : 0);

  // Bands: time-weighted mean of updates in flight per bucket and wave.
  const waves = binWaves(chart.intervals, binCount, xMax);
  const totals = new Float64Array(binCount);
  for (const w of waves) for (let b = 0; b < binCount; b++) totals[b] += w.values[b];
  const yMax = Math.max(0, ...totals);
  const yStep = niceStep(yMax / 4);
  // Binning sums fractions: 100.0000001 must not add a tick.
  const yTop = yMax > 0 ? Math.ceil(yMax / yStep - 1e-6) * yStep : 1;
  const yOf = (v: number) => plot.bottom - (v / yTop) * (plot.bottom - bandTop);
  const bucket = xMax / binCount;

  const out: string[] = [];
  out.push('<?xml version="1.0" encoding="UTF-8"?>');
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" font-family="${FONT}" font-size="11">`);
  out.push(`<title>${escapeXml(chart.title)}</title>`);
  out.push(`<desc>${escapeXml(`${chart.intervals.length} stack updates in ${waves.length} wave${waves.length === 1 ? '' : 's'} over ${humanDuration(dataEnd)}${chart.markers.length ? `; ${chart.markers.map((m) => `${m.label} ${humanDuration(m.seconds)}`).join(', ')}` : ''}`)}</desc>`);
  out.push(`<rect class="background" width="${width}" height="${height}" fill="#ffffff"/>`);
  out.push(`<text class="title" x="${plot.left}" y="22" font-size="15" font-weight="600" fill="#222">${escapeXml(chart.title)}</text>`);
  if (chart.subtitle) out.push(`<text class="subtitle" x="${plot.left}" y="40" fill="#555">${escapeXml(chart.subtitle)}</text>`);

  // Y axis with grid lines.
  out.push('<g class="axis y">');
  for (let v = 0; v <= yTop + yStep / 2; v += yStep) {
    const y = fixed(yOf(v));
    out.push(`<line x1="${plot.left}" x2="${plot.right}" y1="${y}" y2="${y}" stroke="${v === 0 ? '#444' : '#e4e4e4'}"/>`);
    out.push(`<text x="${plot.left - 6}" y="${y}" dy="0.32em" text-anchor="end" fill="#444">${groupThousands(v)}</text>`);
  }
  const yMid = fixed((bandTop + plot.bottom) / 2);
  out.push(`<text class="axis-title" transform="translate(16 ${yMid}) rotate(-90)" text-anchor="middle" fill="#444">stack updates in flight</text>`);
  out.push('</g>');

  // The bands, stacked in wave order.
  out.push('<g class="bands">');
  const base = new Float64Array(binCount);
  waves.forEach((w, k) => {
    const lo = Math.max(0, w.firstBin - 1);
    const hi = Math.min(binCount - 1, w.lastBin + 1);
    const top: Array<[number, number]> = [];
    const bottom: Array<[number, number]> = [];
    for (let b = lo; b <= hi; b++) {
      const x = xOf((b + 0.5) * bucket);
      top.push([x, yOf(base[b] + w.values[b])]);
      bottom.push([x, yOf(base[b])]);
      base[b] += w.values[b];
    }
    const points = [...dropFlatRuns(top), ...dropFlatRuns(bottom.reverse())];
    const d = `M${points.map(([x, y]) => `${fixed(x)} ${fixed(y)}`).join('L')}Z`;
    out.push(`<path class="band" data-wave="${escapeXml(w.label)}" d="${d}" fill="${PALETTE[k % PALETTE.length]}" fill-opacity="0.85" stroke="${PALETTE[k % PALETTE.length]}" stroke-width="0.5"><title>${escapeXml(`${w.label}: ${w.count} stack updates, ${humanDuration(w.start)} to ${humanDuration(w.end)}`)}</title></path>`);
  });
  if (waves.length === 0) out.push(`<text class="empty" x="${fixed((plot.left + plot.right) / 2)}" y="${yMid}" text-anchor="middle" fill="#777">no stack updates</text>`);
  out.push('</g>');

  // X axis: human time ticks.
  out.push('<g class="axis x">');
  const xStep = TIME_STEPS.find((s) => xMax / s <= 8) ?? Math.ceil(xMax / 8);
  for (let t = 0; t <= xMax; t += xStep) {
    const x = fixed(xOf(t));
    out.push(`<line x1="${x}" x2="${x}" y1="${plot.bottom}" y2="${plot.bottom + 4}" stroke="#444"/>`);
    out.push(`<text x="${x}" y="${plot.bottom + 16}" text-anchor="middle" fill="#444">${t === 0 ? '0' : humanDuration(t)}</text>`);
  }
  out.push(`<text class="axis-title" x="${fixed((plot.left + plot.right) / 2)}" y="${plot.bottom + 34}" text-anchor="middle" fill="#444">virtual time</text>`);
  out.push('</g>');


  // Markers.
  out.push('<g class="markers">');
  for (const { m, x, text, rightward, row } of placed) {
    out.push(`<g class="marker" data-label="${escapeXml(m.label)}"><line x1="${fixed(x)}" x2="${fixed(x)}" y1="${plot.top}" y2="${plot.bottom}" stroke="#222" stroke-width="1.2" stroke-dasharray="4 3"/>`
      + `<text x="${fixed(rightward ? x + 4 : x - 4)}" y="${rowY(row)}" text-anchor="${rightward ? 'start' : 'end'}" ${HALO}>${escapeXml(text)}</text></g>`);
  }
  for (const { m, row } of offPlaced) {
    const y = rowY(row);
    const tip = plot.right;
    out.push(`<g class="marker off-scale" data-label="${escapeXml(m.label)}"><path d="M${tip - 8} ${y - 7}L${tip} ${y - 3.5}L${tip - 8} ${y}Z" fill="#222"/>`
      + `<text x="${tip - 11}" y="${y}" text-anchor="end" ${HALO}>${escapeXml(`${m.label}: ${humanDuration(m.seconds)} (off scale)`)}</text></g>`);
  }
  out.push('</g>');

  // Legend: two rows at most, then "+N more".
  out.push('<g class="legend">');
  const more = (k: number, x: number) => out.push(`<text class="legend-more" x="${fixed(x)}" y="${height - 22}" fill="#444">+${waves.length - k} more</text>`);
  let lx = plot.left;
  let row = 0;
  for (let k = 0; k < waves.length; k++) {
    const label = truncate(waves[k].label, 32);
    const itemWidth = 16 + label.length * CHAR_WIDTH + 14;
    if (lx + itemWidth > plot.right && lx > plot.left) {
      if (row === 1) {
        more(k, lx);
        break;
      }
      row = 1;
      lx = plot.left;
    }
    if (row === 1 && k < waves.length - 1 && lx + itemWidth + 60 > plot.right) {
      more(k, lx);
      break;
    }
    const ly = height - 40 + row * 18;
    out.push(`<g class="legend-item" data-wave="${escapeXml(waves[k].label)}"><rect x="${fixed(lx)}" y="${ly - 9}" width="10" height="10" fill="${PALETTE[k % PALETTE.length]}"/>`
      + `<text x="${fixed(lx + 16)}" y="${ly}" fill="#222">${escapeXml(label)}</text></g>`);
    lx += itemWidth;
  }
  out.push('</g>');
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

interface BinnedWave {
  readonly label: string;
  readonly values: Float64Array;
  firstBin: number;
  lastBin: number;
  count: number;
  start: number;
  end: number;
}

/** Per wave, the time-weighted mean number in flight per bucket: partial overlaps at both ends, whole buckets through a difference array, so the cost is O(intervals + buckets). */
function binWaves(intervals: readonly StackUpdateInterval[], binCount: number, xMax: number): BinnedWave[] {
  const byLabel = new Map<string, BinnedWave & { diff: Float64Array }>();
  const bucket = xMax / binCount;
  for (const i of intervals) {
    let w = byLabel.get(i.wave);
    if (!w) {
      w = { label: i.wave, values: new Float64Array(binCount), diff: new Float64Array(binCount + 1), firstBin: binCount, lastBin: -1, count: 0, start: i.startSeconds, end: i.endSeconds };
      byLabel.set(i.wave, w);
    }
    w.count++;
    w.start = Math.min(w.start, i.startSeconds);
    w.end = Math.max(w.end, i.endSeconds);
    const s = Math.max(0, i.startSeconds);
    const e = Math.min(xMax, i.endSeconds);
    const b0 = Math.min(binCount - 1, Math.floor(s / bucket));
    const b1 = Math.min(binCount - 1, Math.floor(e / bucket));
    w.firstBin = Math.min(w.firstBin, b0);
    w.lastBin = Math.max(w.lastBin, b1);
    if (e <= s) continue;
    if (b0 === b1) {
      w.values[b0] += (e - s) / bucket;
    } else {
      w.values[b0] += ((b0 + 1) * bucket - s) / bucket;
      w.values[b1] += (e - b1 * bucket) / bucket;
      if (b1 > b0 + 1) {
        w.diff[b0 + 1] += 1;
        w.diff[b1] -= 1;
      }
    }
  }
  const waves = [...byLabel.values()];
  for (const w of waves) {
    let run = 0;
    for (let b = 0; b < binCount; b++) {
      run += w.diff[b];
      w.values[b] += run;
    }
  }
  return waves.sort((a, b) => a.start - b.start || 0).map(({ diff: _diff, ...w }) => w);
}

/** Keeps the ends of every horizontal run (the only points a straight line needs). */
function dropFlatRuns(points: Array<[number, number]>): Array<[number, number]> {
  return points.filter((p, i) => i === 0 || i === points.length - 1 || fixed(points[i - 1][1]) !== fixed(p[1]) || fixed(points[i + 1][1]) !== fixed(p[1]));
}

function niceStep(raw: number): number {
  if (raw <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((f) => f * magnitude).find((s) => s >= raw)!;
  return Math.max(1, step);
}

function fixed(n: number): string {
  return String(Math.round(n * 10) / 10);
}

function groupThousands(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}\u2026`;
}

/** Text and attribute values for XML: the five markup characters escaped, and characters XML 1.0 forbids replaced by U+FFFD. */
export function escapeXml(text: string): string {
  return text
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

function chartProblems(c: RolloutChart): Problem[] {
  if (c === null || typeof c !== 'object') return [{ subject: 'chart', problem: 'must be an object', value: c, fix: 'Pass { title, intervals, markers }' }];
  const problems: Problem[] = [];
  if (typeof c.title !== 'string') problems.push({ subject: 'chart.title', problem: 'must be a string', value: c.title, fix: 'Give the chart a title' });
  if (c.subtitle !== undefined && typeof c.subtitle !== 'string') problems.push({ subject: 'chart.subtitle', problem: 'must be a string when given', value: c.subtitle, fix: 'Give a string or leave it out' });
  const positive = (name: string, v: unknown, fix: string) => {
    if (v !== undefined && !(typeof v === 'number' && Number.isFinite(v) && v > 0)) problems.push({ subject: `chart.${name}`, problem: 'must be a positive number when given', value: v, fix });
  };
  positive('width', c.width, 'Give the width in pixels, or leave it out for 900');
  positive('height', c.height, 'Give the height in pixels, or leave it out for 400');
  positive('offScaleFactor', c.offScaleFactor, 'Give a factor such as 8, or leave it out');
  if (c.bins !== undefined && !(Number.isInteger(c.bins) && c.bins >= 1)) problems.push({ subject: 'chart.bins', problem: 'must be a whole number of 1 or more when given', value: c.bins, fix: 'Give the number of time buckets, or leave it out for 400' });
  if (!Array.isArray(c.markers)) problems.push({ subject: 'chart.markers', problem: 'must be an array', value: c.markers, fix: 'Pass [] for no markers' });
  else c.markers.forEach((m, i) => {
    if (m === null || typeof m !== 'object' || typeof m.label !== 'string' || !(typeof m.seconds === 'number' && Number.isFinite(m.seconds) && m.seconds >= 0)) {
      problems.push({ subject: `chart.markers[${i}]`, problem: 'must be { label: string, seconds: number of zero or more }', value: m, fix: 'Give every marker a label and a time in seconds' });
    }
  });
  if (!Array.isArray(c.intervals)) problems.push({ subject: 'chart.intervals', problem: 'must be an array', value: c.intervals, fix: 'Pass the stack updates, [] for none' });
  else {
    let bad = 0;
    c.intervals.forEach((iv, i) => {
      const ok = iv !== null && typeof iv === 'object' && typeof iv.wave === 'string' && Number.isFinite(iv.startSeconds) && Number.isFinite(iv.endSeconds) && iv.startSeconds >= 0 && iv.endSeconds >= iv.startSeconds;
      if (ok) return;
      if (bad++ < MAX_INTERVAL_PROBLEMS) problems.push({ subject: `chart.intervals[${i}]`, problem: 'must have a wave name and 0 <= startSeconds <= endSeconds', value: iv, fix: 'Pass intervals as the models and the simulator report them' });
    });
    if (bad > MAX_INTERVAL_PROBLEMS) problems.push({ subject: 'chart.intervals', problem: `has ${bad - MAX_INTERVAL_PROBLEMS} more invalid intervals`, fix: 'Fix the intervals named above the same way' });
  }
  return problems;
}
