/**
 * Colour for the CLI's own lines (errors, warnings, OK lines), on a terminal only.
 *
 * Decided per stream, since stdout may be piped while stderr is a terminal:
 * - `FORCE_COLOR` set: colour unless it is `0` or `false` (also into a pipe, e.g. CI logs);
 * - `NO_COLOR` set and not empty: none (https://no-color.org);
 * - otherwise colour only on a TTY whose terminal supports it: Node's `WriteStream.hasColors()`,
 *   which also reads `TERM=dumb` and `NODE_DISABLE_COLORS`
 *   (https://nodejs.org/api/tty.html#writestreamgetcolordepthenv).
 * No library: the one well-kept candidate that loads with `require` (picocolors) decides from
 * stdout alone, and chalk is ESM-only; Node 20's `util.styleText` does not look at the stream.
 */
export interface Palette {
  /** A failure: red. */
  readonly error: (text: string) => string;
  /** Something to look at: yellow. */
  readonly warning: (text: string) => string;
  /** Done, passed: green. */
  readonly ok: (text: string) => string;
  /** Emphasis (the "Fix:" of a message): bold. */
  readonly bold: (text: string) => string;
  /** Progress and other secondary lines: dim. */
  readonly dim: (text: string) => string;
}

export interface MaybeTty {
  readonly isTTY?: boolean;
  hasColors?(env?: object): boolean;
}

/** Whether to colour what is written to `stream`, by the rules above. */
export function colourEnabled(stream: MaybeTty, env: NodeJS.ProcessEnv = process.env): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force !== 'false';
  if (env.NO_COLOR) return false;
  return stream.isTTY === true && typeof stream.hasColors === 'function' && stream.hasColors(env);
}

const sgr = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`;
const plain = (text: string) => text;

/** The palette for `stream`: ANSI styles when colour is enabled, the text unchanged otherwise. */
export function paletteFor(stream: MaybeTty, env: NodeJS.ProcessEnv = process.env): Palette {
  if (!colourEnabled(stream, env)) return { error: plain, warning: plain, ok: plain, bold: plain, dim: plain };
  return { error: sgr(31, 39), warning: sgr(33, 39), ok: sgr(32, 39), bold: sgr(1, 22), dim: sgr(2, 22) };
}
