// The allocation-free address parser agrees with the general parser (ipaddr.js) on valid addresses and refuses what it refuses.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAddressInto, tryParseIpAddress, wordsToAddress } from './index.js';

function parsed(text: string): { version: number; value: bigint } | null {
  const w = new Int32Array(4);
  const version = parseAddressInto(text, w, 0);
  return version === 0 ? null : { version, value: wordsToAddress(version, w).value };
}

describe('parseAddressInto', () => {
  it('reads IPv4 and IPv6 (compressed, full, embedded IPv4) like the general parser does', () => {
    fc.assert(
      fc.property(fc.oneof(fc.ipV4(), fc.ipV6()), (text) => {
        expect(parsed(text)).toEqual(tryParseIpAddress(text));
      }),
      { numRuns: 5000 },
    );
  });

  it.each(['', '1.2.3', '1.2.3.4.5', '01.2.3.4', '256.1.1.1', '1.2.3.4 ', ':', ':::', '1::2::3', '1:2:3:4:5:6:7:8:9', '12345::', 'g::1', '1:2:3:4:5:6:7:', '::1.2.3', 'fe80::1%eth0'])('refuses %j', (text) => {
    expect(parsed(text)).toBeNull();
    expect(tryParseIpAddress(text)).toBeNull();
  });

  it.each(['::ffff:01.2.3.4', '::1.2.3.4', '1::1.2.3.4', '::0.0.0.0'])('keeps the general parser verdict on embedded IPv4 %j', (text) => {
    expect(parsed(text)).toEqual(tryParseIpAddress(text));
  });
});
