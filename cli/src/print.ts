/** Text output shared by the commands: executions (`fleet run`, `fleet send`), tables, errors, warnings, progress. */
import { paletteFor } from './colour';

/** A stream the palette is chosen for (process.stdout, process.stderr). */
type MaybeTty = Parameters<typeof paletteFor>[0];

/** The rows of a trace table: #, state, type, virtual time, duration, retries, result. */
export function traceTable(trace: any[]): string[] {
  const rows = trace.map((e, i) => [
    String(i + 1),
    e.scope ? `${e.scope}/${e.stateName}` : e.stateName,
    e.stateType,
    e.enteredTime.slice(11, 23),
    duration(e.durationMs),
    e.retryCount ? `${e.retryCount} (${e.retries.map((r: any) => r.error).filter(unique).join(', ')})` : '',
    outcome(e),
  ]);
  return table(['#', 'state', 'type', 'virtual time', 'duration', 'retries', 'result'], rows);
}

function outcome(e: any): string {
  if (e.status === 'CAUGHT') return `caught ${e.error} -> ${e.caughtBy}`;
  if (e.status === 'FAILED') return `failed ${e.error ?? ''}`.trim();
  return e.status === 'SUCCEEDED' ? 'ok' : String(e.status).toLowerCase();
}

export function duration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  const parts: string[] = [];
  let rest = ms / 1000;
  for (const [unit, size] of [['h', 3600], ['min', 60]] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)} ${unit}`);
      rest %= size;
    }
  }
  if (rest > 0 || parts.length === 0) parts.push(`${Number(rest.toFixed(3))} s`);
  return parts.join(' ');
}

function unique<T>(value: T, index: number, all: T[]): boolean {
  return all.indexOf(value) === index;
}

/** DynamoDB sets come back as Sets; print them as sorted arrays. */
export function jsonReplacer(_key: string, value: unknown): unknown {
  return value instanceof Set ? [...value].sort() : value;
}

export function indent(text: string, by = '  '): string {
  return text.split('\n').map((line) => `${by}${line}`).join('\n');
}

/** How `table()` lays out its columns. */
export interface TableOptions {
  /** Put before every line. @default two spaces */
  readonly indent?: string;
  /** Indexes of the columns aligned right (amounts). @default none */
  readonly rightAligned?: readonly number[];
  /** A line of dashes under the header. @default false */
  readonly rule?: boolean;
}

/**
 * The one table renderer of the CLI: columns as wide as their widest cell, two spaces apart, no
 * trailing blanks. Returns the lines (header first).
 */
export function table(header: string[], rows: string[][], options: TableOptions = {}): string[] {
  const { indent = '  ', rightAligned = [], rule = false } = options;
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => `${indent}${cells.map((c, i) => (rightAligned.includes(i) ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ')}`.trimEnd();
  return [line(header), ...(rule ? [line(widths.map((w) => '-'.repeat(w)))] : []), ...rows.map(line)];
}

/**
 * A user error as the CLI prints it: the problem in red, "Fix:" in bold, on a terminal only
 * (`colour.ts`); the text itself is the same everywhere, so tests assert it exactly.
 */
export function formatError(message: string, stream: MaybeTty = process.stderr): string {
  const colour = paletteFor(stream);
  const fix = message.indexOf(' Fix: ');
  if (fix === -1) return colour.error(message);
  return `${colour.error(message.slice(0, fix))} ${colour.bold('Fix:')}${message.slice(fix + ' Fix:'.length)}`;
}

/** `warning: <message>`, the prefix in yellow on a terminal. */
export function formatWarning(message: string, stream: MaybeTty = process.stderr): string {
  return `${paletteFor(stream).warning('warning:')} ${message}`;
}

/** A line saying something succeeded, green on a terminal. */
export function formatOk(message: string, stream: MaybeTty = process.stdout): string {
  return paletteFor(stream).ok(message);
}

/**
 * Progress of a step that takes seconds (synthesis, pricing), on stderr so that stdout (a
 * report, `--json`) stays what a script reads; dim on a terminal.
 */
export function printProgress(message: string): void {
  process.stderr.write(`${paletteFor(process.stderr).dim(message)}\n`);
}
