import { isIPv4, isIPv6 } from 'node:net';

/**
 * The key under which a client address is counted by the per-address limits.
 *
 * An IPv6 client usually holds a whole /64 (one home or one server gets 2^64 addresses, and
 * privacy extensions rotate through them), so counting each address would give an attacker a
 * fresh counter per request: IPv6 addresses are counted by their /64. An IPv4 address written
 * as IPv6 (`::ffff:192.0.2.1`, as a dual-stack socket reports it, or the NAT64 form
 * `64:ff9b::192.0.2.1`) is the IPv4 address, and counts with it. Anything else (a forwarded
 * entry that is not an address) is counted as it is.
 *
 * The session list and the logs keep the full address; only the limit keys use this.
 */
export function addressBucket(address: string): string {
  const text = address.trim().toLowerCase();
  if (isIPv4(text)) {
    return text;
  }
  // A zone (`fe80::1%eth0`) names the interface, not the host.
  const withoutZone = text.split('%', 1)[0];
  if (!isIPv6(withoutZone)) {
    return text;
  }
  const groups = ipv6Groups(withoutZone);
  if (embedsIPv4(groups)) {
    const [high, low] = groups.slice(6);
    return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
  }
  return `${groups
    .slice(0, 4)
    .map((group) => group.toString(16))
    .join(':')}::/64`;
}

/** `::ffff:0:0/96` (IPv4-mapped) and `64:ff9b::/96` (the NAT64 well-known prefix, RFC 6052). */
function embedsIPv4(groups: number[]): boolean {
  const zeros = (from: number, to: number): boolean =>
    groups.slice(from, to).every((group) => group === 0);
  const mapped = zeros(0, 5) && groups[5] === 0xffff;
  const nat64 = groups[0] === 0x64 && groups[1] === 0xff9b && zeros(2, 6);
  return mapped || nat64;
}

/** The eight 16-bit groups of a valid IPv6 address (checked by the caller). */
function ipv6Groups(text: string): number[] {
  let head = text;
  const tail: number[] = [];
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.', lastColon)) {
    // A dotted IPv4 address in the last 32 bits.
    const [a, b, c, d] = text
      .slice(lastColon + 1)
      .split('.')
      .map(Number);
    tail.push((a << 8) | b, (c << 8) | d);
    head = text.slice(0, text.endsWith('::', lastColon + 1) ? lastColon + 1 : lastColon);
  }
  const [left, right] = head.split('::');
  const leftGroups = left ? left.split(':') : [];
  const rightGroups = right ? right.split(':') : [];
  const missing = 8 - tail.length - leftGroups.length - rightGroups.length;
  return [
    ...leftGroups,
    ...Array.from({ length: right === undefined ? 0 : missing }, () => '0'),
    ...rightGroups,
  ]
    .map((group) => parseInt(group, 16))
    .concat(tail);
}
