/**
 * IPv4 and IPv6 addresses and CIDR ranges, for the `cidr` matcher of event patterns
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html#eb-filtering-ip-matching).
 * Addresses are compared as integers of 32 or 128 bits.
 */

/** A parsed address: its family and its value. */
export interface IpAddress {
  readonly version: 4 | 6;
  readonly value: bigint;
}

/** A CIDR range: the first address of the block and the prefix length. */
export interface CidrRange {
  readonly version: 4 | 6;
  readonly network: bigint;
  readonly prefixLength: number;
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const HEXTET = /^[0-9a-fA-F]{1,4}$/;

/** The address `text` is, or undefined when it is not an IPv4 or IPv6 address. */
export function parseIpAddress(text: string): IpAddress | undefined {
  const v4 = parseIpv4(text);
  if (v4 !== undefined) return { version: 4, value: v4 };
  const v6 = parseIpv6(text);
  return v6 === undefined ? undefined : { version: 6, value: v6 };
}

/** The range `text` names (`10.0.0.0/24`, `2001:db8::/32`), or undefined when it is not one. */
export function parseCidr(text: string): CidrRange | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const address = parseIpAddress(text.slice(0, slash));
  const lengthText = text.slice(slash + 1);
  if (!address || !/^\d{1,3}$/.test(lengthText)) return undefined;
  const prefixLength = Number(lengthText);
  const bits = address.version === 4 ? 32 : 128;
  if (prefixLength > bits) return undefined;
  return { version: address.version, network: address.value & mask(prefixLength, bits), prefixLength };
}

/** True when `address` lies in `range` (same family only). */
export function inCidr(address: IpAddress, range: CidrRange): boolean {
  if (address.version !== range.version) return false;
  const bits = range.version === 4 ? 32 : 128;
  return (address.value & mask(range.prefixLength, bits)) === range.network;
}

function mask(prefixLength: number, bits: number): bigint {
  const all = (1n << BigInt(bits)) - 1n;
  return all ^ ((1n << BigInt(bits - prefixLength)) - 1n);
}

function parseIpv4(text: string): bigint | undefined {
  const m = IPV4.exec(text);
  if (!m) return undefined;
  let value = 0n;
  for (const part of m.slice(1)) {
    const n = Number(part);
    if (n > 255) return undefined;
    value = (value << 8n) | BigInt(n);
  }
  return value;
}

function parseIpv6(text: string): bigint | undefined {
  if (!text.includes(':')) return undefined;
  let hextets: string[];
  // A trailing dotted IPv4 part (::ffff:10.0.0.1) counts as the last two hextets.
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  let v4Tail: bigint | undefined;
  if (tail.includes('.')) {
    v4Tail = parseIpv4(tail);
    if (v4Tail === undefined) return undefined;
    text = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const split = (part: string) => (part === '' ? [] : part.split(':'));
  if (halves.length === 2) {
    const head = split(halves[0]);
    const rest = split(halves[1]);
    const missing = 8 - head.length - rest.length;
    if (missing < 1) return undefined;
    hextets = [...head, ...Array<string>(missing).fill('0'), ...rest];
  } else {
    hextets = split(text);
  }
  if (hextets.length !== 8 || !hextets.every((h) => HEXTET.test(h))) return undefined;
  let value = 0n;
  for (const h of hextets) value = (value << 16n) | BigInt(parseInt(h, 16));
  if (v4Tail !== undefined) value = (value & ~0xffffffffn) | v4Tail;
  return value;
}
