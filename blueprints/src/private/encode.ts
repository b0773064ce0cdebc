/**
 * Encoders for manifest values: every manifest string that reaches a generated file goes
 * through one of these, chosen by the syntax it lands in, so a value is always data in that
 * file and never code, markup or a comment terminator.
 *
 * Names (service, function) are validated kebab-case before they reach a renderer and are
 * spliced as they are where they form identifiers; they go through these encoders too wherever
 * they sit in a string, a comment or Markdown, so the guarantee does not rest on the name rules
 * alone. Free text (descriptions, event sources and detail types) is validated to be one line
 * of printable text (`ProblemCollector.text`), and then encoded here.
 *
 * JSON and YAML files are written by projen's serializers (`JsonFile`, `YamlFile`), which
 * encode every value; a JSON value spliced into TypeScript goes through `tsJson`.
 */

/** Characters that end a line in JavaScript (ECMA-262 LineTerminator) or in Markdown. */
const LINE_TERMINATORS = /\r\n|[\n\r\u2028\u2029]/g;

/**
 * A TypeScript string literal whose value is exactly `value`: backslashes, the quote,
 * line terminators, control characters and lone surrogates are escaped (a lone surrogate
 * cannot be written as UTF-8, so it is kept as an escape rather than turned into U+FFFD).
 * Single-quoted as the generated code writes strings, double-quoted when that saves escaping
 * an apostrophe ("the tenant's devices").
 */
export function tsString(value: string): string {
  const quote = value.includes("'") && !value.includes('"') ? '"' : "'";
  let out = quote;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    const char = value[i];
    if (char === '\\') out += '\\\\';
    else if (char === quote) out += `\\${quote}`;
    else if (char === '\n') out += '\\n';
    else if (char === '\r') out += '\\r';
    else if (char === '\t') out += '\\t';
    else if (code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029) out += unicodeEscape(code);
    else if (code >= 0xd800 && code <= 0xdbff) {
      const next = value.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        out += char + value[i + 1];
        i++;
      } else {
        out += unicodeEscape(code);
      }
    } else if (code >= 0xdc00 && code <= 0xdfff) out += unicodeEscape(code);
    else out += char;
  }
  return `${out}${quote}`;
}

/**
 * A JSON value as a TypeScript expression. JSON is valid JavaScript since ES2019; U+2028 and
 * U+2029 are escaped anyway so the text stays valid for every parser and editor.
 */
export function tsJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/**
 * Text inside a comment (a JSDoc line or a `//` comment): it stays one line (a line terminator
 * would end a `//` comment and let the rest become code), `*\/` cannot close a block comment,
 * and `@` cannot start a JSDoc tag (`@deprecated`, `{@link}`) the value did not mean. Editors
 * render JSDoc as Markdown, where `\/` and `\@` show as `/` and `@`, so the text reads as written.
 */
export function commentText(value: string): string {
  return value.replace(LINE_TERMINATORS, ' ').replace(/\*\//g, '*\\/').replace(/@/g, '\\@');
}

/**
 * Markdown inline text (a paragraph, a heading or a table cell) that renders as exactly
 * `value`: every character that could start emphasis, code, a link, raw HTML, an entity, math,
 * strikethrough or a table cell boundary is backslash-escaped (CommonMark allows a backslash
 * before any ASCII punctuation), and so is anything that would make the line a heading, list,
 * quote, code block or rule.
 */
export function markdownText(value: string): string {
  const oneLine = value.replace(LINE_TERMINATORS, ' ');
  // Up to three leading spaces are insignificant; four would start an indented code block.
  const body = oneLine.replace(/^[ \t]+/, '')
    .replace(/[\\`*_[\]<>|~$#]/g, (c) => `\\${c}`)
    // `&` only matters where it would start an entity reference (`&lt;`, `&#60;`).
    .replace(/&(?=#?[A-Za-z0-9]+;)/g, '&amp;');
  // Block starts: list item, ordered list, setext underline, thematic break.
  return body.replace(/^([+\-=])/, '\\$1').replace(/^(\d+)([.)])/, '$1\\$2');
}

/**
 * A Markdown code span showing exactly `value`: fenced with one more backtick than the longest
 * run inside it, padded when it starts or ends with a backtick or a space (CommonMark strips
 * one space from each side). In a GFM table cell `|` is escaped as `\|`, which GFM reads before
 * the code span; outside a table a code span shows backslashes literally, so it is left alone.
 */
export function markdownCode(value: string, where: 'table' | 'text' = 'text'): string {
  const oneLine = value.replace(LINE_TERMINATORS, ' ');
  const longest = Math.max(0, ...(oneLine.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const padded = /^[` ]|[` ]$/.test(oneLine) ? ` ${oneLine} ` : oneLine;
  const body = where === 'table' ? padded.replace(/\|/g, '\\|') : padded;
  return `${fence}${body}${fence}`;
}

function unicodeEscape(code: number): string {
  return `\\u${code.toString(16).padStart(4, '0')}`;
}
