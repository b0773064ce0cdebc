// C0 controls (a newline too: a reason must not forge a line), DEL and the C1 controls (U+009B is a one-character CSI on some terminals).
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/**
 * One line of output: `text` with every terminal control character shown as `\xNN`. Status reasons and execution
 * causes carry text from tenant accounts (CloudFormation status reasons quote their resources), so
 * printed raw they could move the cursor, rewrite earlier lines or retitle the terminal.
 */
export function terminalSafe(text: string): string {
  return text.replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/**
 * `value` as indented JSON that is also safe on a terminal: JSON.stringify escapes C0 controls but
 * leaves DEL and the C1 controls raw; they are written as \u escapes, so parsing gives the same value.
 */
export function terminalSafeJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(/[\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
