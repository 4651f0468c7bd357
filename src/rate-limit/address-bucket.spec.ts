import fc from 'fast-check';
import { addressBucket } from './address-bucket';

const group = fc.integer({ min: 0, max: 0xffff });
const groups = (length: number): fc.Arbitrary<number[]> =>
  fc.array(group, { minLength: length, maxLength: length });
const ipv4 = fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 4, maxLength: 4 });

/** The full form: eight groups of four hex digits. */
const expanded = (all: number[]): string =>
  all.map((value) => value.toString(16).padStart(4, '0')).join(':');
/** The shortest form (RFC 5952), as the WHATWG URL parser writes it. */
const compressed = (all: number[]): string =>
  new URL(`http://[${expanded(all)}]/`).hostname.slice(1, -1);

/** The same address in any of the ways a client, a proxy or a socket may write it. */
const spellings = (all: number[]): fc.Arbitrary<string> =>
  fc.constantFrom(
    expanded(all),
    expanded(all).toUpperCase(),
    compressed(all),
    compressed(all).toUpperCase(),
    `${compressed(all)}%eth0`,
  );

describe('addressBucket', () => {
  it.each([
    ['an IPv4 address', '203.0.113.7', '203.0.113.7'],
    ['an IPv4-mapped address, dotted', '::ffff:203.0.113.7', '203.0.113.7'],
    ['an IPv4-mapped address, in hex', '::ffff:cb00:7107', '203.0.113.7'],
    ['an IPv4-mapped address, in capitals', '::FFFF:203.0.113.7', '203.0.113.7'],
    ['an IPv4-mapped address, written out', '0:0:0:0:0:ffff:203.0.113.7', '203.0.113.7'],
    ['a NAT64 address (64:ff9b::/96)', '64:ff9b::203.0.113.7', '203.0.113.7'],
    ['an IPv6 address', '2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['an IPv6 address with leading zeros', '2001:0db8:0001:0002::0006', '2001:db8:1:2::/64'],
    ['an IPv6 address compressed inside its /64', '2001:db8::1', '2001:db8:0:0::/64'],
    ['an IPv6 address with a dotted tail', '2001:db8:1:2::203.0.113.7', '2001:db8:1:2::/64'],
    ['the IPv6 loopback', '::1', '0:0:0:0::/64'],
    ['the unspecified address', '::', '0:0:0:0::/64'],
    ['a link-local address with a zone', 'fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['an address ending in ::', '2001:db8:1:2::', '2001:db8:1:2::/64'],
    ['a forwarded entry that is no address', 'unknown', 'unknown'],
    ['an IPv4-compatible-looking but invalid text', '::ffff:300.1.1.1', '::ffff:300.1.1.1'],
  ])('keys %s', (_what, address, expected) => {
    expect(addressBucket(address)).toBe(expected);
  });

  it('puts every address of one /64 in one bucket, however it is written', () => {
    fc.assert(
      fc.property(groups(4), groups(4), groups(4), (prefix, first, second) => {
        fc.pre(
          !(prefix.every((value) => value === 0) || (prefix[0] === 0x64 && prefix[1] === 0xff9b)),
        );
        const bucket = addressBucket(compressed([...prefix, ...first]));
        fc.assert(
          fc.property(spellings([...prefix, ...second]), (spelling) => {
            expect(addressBucket(spelling)).toBe(bucket);
          }),
          { numRuns: 5 },
        );
      }),
    );
  });

  it('keeps addresses of different /64s apart', () => {
    fc.assert(
      fc.property(groups(4), groups(4), groups(4), (prefix, other, suffix) => {
        fc.pre(prefix.join() !== other.join());
        expect(addressBucket(expanded([...prefix, ...suffix]))).not.toBe(
          addressBucket(expanded([...other, ...suffix])),
        );
      }),
    );
  });

  it('counts an IPv4 address and its IPv6-mapped forms together, and apart from other IPv4s', () => {
    fc.assert(
      fc.property(ipv4, ipv4, (address, other) => {
        const dotted = address.join('.');
        const hex = [(address[0] << 8) | address[1], (address[2] << 8) | address[3]];
        expect(addressBucket(`::ffff:${dotted}`)).toBe(dotted);
        expect(addressBucket(compressed([0, 0, 0, 0, 0, 0xffff, ...hex]))).toBe(dotted);
        expect(addressBucket(expanded([0, 0, 0, 0, 0, 0xffff, ...hex]))).toBe(dotted);
        if (other.join('.') !== dotted) {
          expect(addressBucket(`::ffff:${other.join('.')}`)).not.toBe(dotted);
        }
      }),
    );
  });

  it('never throws, whatever text a forwarded header carries', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        expect(typeof addressBucket(text)).toBe('string');
      }),
    );
  });
});
