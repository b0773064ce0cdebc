import { DOMParser, Element, onErrorStopParsing } from '@xmldom/xmldom';
import { renderRolloutChart, RolloutChart, simulateStackSets, StackUpdateInterval } from '../../src';

/** Parses as strict XML: any error fails the test (a warning is only advice, e.g. on the U+FFFD that replaces a control character). */
function parse(svg: string) {
  const doc = new DOMParser({ onError: onErrorStopParsing }).parseFromString(svg, 'image/svg+xml');
  return doc.documentElement!;
}
const all = (root: Element, tag: string) => Array.from(root.getElementsByTagName(tag));
const byClass = (root: Element, tag: string, cls: string) => all(root, tag).filter((e) => (e.getAttribute('class') ?? '').split(' ').includes(cls));
const texts = (elements: Element[]) => elements.map((e) => e.textContent);

const span = (wave: string, startSeconds: number, endSeconds: number, n = 1): StackUpdateInterval[] =>
  Array.from({ length: n }, (_, i) => ({ wave, account: `a${i}`, service: 's', startSeconds, endSeconds, outcome: 'deployed' as const }));

describe('renderRolloutChart', () => {
  const chart: RolloutChart = {
    title: 'Release 42 <all tenants>',
    subtitle: '3 waves & a bake',
    intervals: [...span('everyone', 2000, 5000, 30), ...span('canary', 0, 600, 3), ...span('early', 1200, 1800, 10)],
    markers: [{ label: 'lower bound', seconds: 4800 }, { label: 'StackSets SOFT', seconds: 9000 }, { label: 'StackSets STRICT', seconds: 900_000 }],
  };

  test('GIVEN three waves and three markers WHEN rendered THEN a valid 900x400 SVG document with one band per wave in order of first start, and a legend entry each', () => {
    const svg = parse(renderRolloutChart(chart));
    expect(svg.tagName).toBe('svg');
    expect(svg.getAttribute('xmlns')).toBe('http://www.w3.org/2000/svg');
    expect([svg.getAttribute('width'), svg.getAttribute('height'), svg.getAttribute('viewBox')]).toEqual(['900', '400', '0 0 900 400']);
    expect(byClass(svg, 'path', 'band').map((b) => b.getAttribute('data-wave'))).toEqual(['canary', 'early', 'everyone']);
    expect(new Set(byClass(svg, 'path', 'band').map((b) => b.getAttribute('fill'))).size).toBe(3);
    expect(texts(byClass(svg, 'g', 'legend-item'))).toEqual(['canary', 'early', 'everyone']);
    expect(texts(byClass(svg, 'text', 'title'))).toEqual(['Release 42 <all tenants>']);
    expect(texts(byClass(svg, 'text', 'subtitle'))).toEqual(['3 waves & a bake']);
  });

  test('GIVEN markers, one far beyond the rollout WHEN rendered THEN on-scale markers are labelled vertical lines, the far one an arrow at the edge with its value', () => {
    const svg = parse(renderRolloutChart(chart));
    const markers = byClass(svg, 'g', 'marker');
    expect(markers.map((m) => [m.getAttribute('class'), m.textContent])).toEqual([
      ['marker', 'lower bound: 1 h 20 min'],
      ['marker', 'StackSets SOFT: 2 h 30 min'],
      ['marker off-scale', 'StackSets STRICT: 10 d 10 h (off scale)'],
    ]);
    expect(all(markers[0], 'line')).toHaveLength(1);
    expect(all(markers[2], 'line')).toHaveLength(0);
  });

  test('GIVEN a rollout of hours WHEN rendered THEN the time axis is ticked in human units', () => {
    const svg = parse(renderRolloutChart(chart));
    const ticks = texts(all(byClass(svg, 'g', 'x')[0], 'text')).filter((t) => t !== 'virtual time');
    expect(ticks).toEqual(['0', '30 min', '1 h', '1 h 30 min', '2 h', '2 h 30 min']);
  });

  test('GIVEN 10 updates in flight over the same span WHEN rendered THEN the y axis tops at 10 and the band reaches it', () => {
    const svg = parse(renderRolloutChart({ title: 't', intervals: span('only', 0, 1000, 10), markers: [] }));
    const yAxis = byClass(svg, 'g', 'y')[0];
    const labels = all(yAxis, 'text').filter((t) => t.getAttribute('class') !== 'axis-title');
    expect(texts(labels)).toEqual(['0', '5', '10']);
    const topY = Number(labels[2].getAttribute('y'));
    const d = byClass(svg, 'path', 'band')[0].getAttribute('d')!;
    const ys = [...d.matchAll(/[ML]([\d.]+) ([\d.]+)/g)].map((m) => Number(m[2]));
    expect(Math.min(...ys)).toBeCloseTo(topY, 0);
  });

  test('GIVEN wave names, a title and marker labels with markup and control characters WHEN rendered THEN they are escaped: the document parses and reads them back verbatim', () => {
    const evil = '<script>alert("x")</script> & \'co\'';
    const out = renderRolloutChart({ title: `${evil}\u0007`, intervals: span(evil, 0, 100, 2), markers: [{ label: evil, seconds: 50 }] });
    expect(out).not.toContain('<script');
    const svg = parse(out);
    expect(byClass(svg, 'path', 'band')[0].getAttribute('data-wave')).toBe(evil);
    expect(byClass(svg, 'g', 'legend-item')[0].getAttribute('data-wave')).toBe(evil);
    expect(texts(byClass(svg, 'g', 'marker'))).toEqual([`${evil}: 50 s`]);
    expect(texts(byClass(svg, 'text', 'title'))).toEqual([`${evil}\uFFFD`]);
    expect(all(svg, 'script')).toHaveLength(0);
  });

  test('GIVEN 120,000 stack updates (StackSets SOFT, 6,000 x 20 in 4 levels) WHEN rendered THEN the file stays under 200 KB with one band per level', () => {
    const soft = simulateStackSets({
      tenants: 6000, services: 20, dependencyLevels: 4, mode: 'SOFT', failureTolerance: 0, maxConcurrent: 100, seed: 3,
      stackTimes: { changeSetSeconds: { min: 5, max: 20 }, deploySeconds: { min: 30, max: 120 } },
    });
    const out = renderRolloutChart({ title: 'StackSets SOFT', intervals: soft.intervals, markers: [{ label: 'StackSets SOFT', seconds: soft.totalSeconds }] });
    expect(Buffer.byteLength(out)).toBeLessThan(200 * 1024);
    expect(byClass(parse(out), 'path', 'band')).toHaveLength(4);
  });

  test('GIVEN more waves than two legend rows hold WHEN rendered THEN every wave still has its band and the legend ends with "+N more"', () => {
    const intervals = Array.from({ length: 40 }, (_, w) => span(`ring ${w + 1} level ${w + 1}`, w * 100, w * 100 + 90)).flat();
    const svg = parse(renderRolloutChart({ title: 't', intervals, markers: [] }));
    expect(byClass(svg, 'path', 'band')).toHaveLength(40);
    const shown = byClass(svg, 'g', 'legend-item').length;
    expect(texts(byClass(svg, 'text', 'legend-more'))).toEqual([`+${40 - shown} more`]);
  });

  test('GIVEN no stack updates WHEN rendered THEN a valid chart says so', () => {
    const svg = parse(renderRolloutChart({ title: 'nothing to do', intervals: [], markers: [{ label: 'lower bound', seconds: 0 }] }));
    expect(texts(byClass(svg, 'text', 'empty'))).toEqual(['no stack updates']);
  });

  test('GIVEN bad chart input WHEN rendered THEN every problem is reported at once', () => {
    expect(() => renderRolloutChart({
      title: 7 as unknown as string,
      intervals: [{ wave: 'w', account: 'a', service: 's', startSeconds: 10, endSeconds: 5, outcome: 'deployed' }],
      markers: [{ label: 'lb', seconds: -1 }],
      bins: 0,
    })).toThrow([
      'renderRolloutChart has 4 problems; nothing was computed:',
      '  1. chart.title: must be a string, got 7. Fix: Give the chart a title.',
      '  2. chart.bins: must be a whole number of 1 or more when given, got 0. Fix: Give the number of time buckets, or leave it out for 400.',
      '  3. chart.markers[0]: must be { label: string, seconds: number of zero or more }, got {"label":"lb","seconds":-1}. Fix: Give every marker a label and a time in seconds.',
      '  4. chart.intervals[0]: must have a wave name and 0 <= startSeconds <= endSeconds, got {"wave":"w","account":"a","service":"s","startSeconds":10,"endSeconds":5,"outcome":"deployed"}. Fix: Pass intervals as the models and the simulator report them.',
    ].join('\n'));
  });
});
