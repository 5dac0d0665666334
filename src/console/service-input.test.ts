// Tests for the service inputs of the flow check, reachability and matrix views.
import { describe, expect, it } from 'vitest';
import { parseServiceList, serviceFields } from './service-input.js';

const s = (protocol: string, port = '', icmpType = '', icmpCode = '') => serviceFields({ protocol, port, icmpType, icmpCode });

describe('serviceFields', () => {
  it('needs a port for TCP-like protocols and takes ICMP type/code for ICMP', () => {
    expect(s('TCP', '22')).toEqual({ ok: true, fields: { protocol: 'tcp', port: 22 } });
    expect(s('tcp')).toEqual({ ok: false, error: 'Give the port TCP traffic goes to.' });
    expect(s('icmp', '', '8', '0')).toEqual({ ok: true, fields: { protocol: 'icmp', icmp_type: 8, icmp_code: 0 } });
    expect(s('gre', '22')).toEqual({ ok: true, fields: { protocol: 'gre' } });
    expect(s('17', '53')).toEqual({ ok: true, fields: { protocol: '17', port: 53 } });
  });

  it('refuses "any", unknown protocols and out-of-range numbers', () => {
    expect(s('')).toMatchObject({ ok: false, error: expect.stringContaining('cannot be "any protocol"') });
    expect(s('0')).toMatchObject({ ok: false });
    expect(s('bogus')).toMatchObject({ ok: false, error: expect.stringContaining("'bogus'") });
    expect(s('tcp', '70000')).toEqual({ ok: false, error: 'Port must be a whole number from 0 to 65535.' });
    expect(s('icmp', '', '300')).toEqual({ ok: false, error: 'ICMP type must be a whole number from 0 to 255.' });
  });

  it('splits a service list on commas and spaces', () => {
    expect(parseServiceList(' tcp:22, TCP:80  icmp:8 ,,')).toEqual(['tcp:22', 'tcp:80', 'icmp:8']);
  });
});
