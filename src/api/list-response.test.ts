// The streamed list envelope: the same text as JSON.stringify of the whole body, in bounded chunks.
import { describe, expect, it } from 'vitest';
import { listChunks } from './list-response.js';

const rule = (i: number) => ({ id: `r-${i}`, security_group_id: 'g', direction: 'ingress', protocol: 'tcp', port_range_min: i, port_range_max: i, description: 'x"y\u2028' });

describe('listChunks', () => {
  it('writes exactly what JSON.stringify writes, with and without links, empty or not', () => {
    const links = [{ rel: 'next', href: 'http://h/v2.0/x?marker=r-2' }];
    for (const items of [[], [rule(1)], [rule(1), rule(2)]]) {
      expect([...listChunks('security_group_rules', items)].join('')).toBe(JSON.stringify({ security_group_rules: items }));
      expect([...listChunks('security_group_rules', items, links)].join('')).toBe(JSON.stringify({ security_group_rules: items, security_group_rules_links: links }));
    }
  });

  it('serialises 100,000 rules in many chunks of bounded size, never one string', () => {
    const items = Array.from({ length: 100_000 }, (_, i) => rule(i));
    const chunks = [...listChunks('security_group_rules', items)];
    const total = chunks.reduce((n, c) => n + c.length, 0);
    expect(chunks.length).toBeGreaterThan(100);
    expect(Math.max(...chunks.map((c) => c.length))).toBeLessThan(64 * 1024 + 500);
    expect(JSON.parse(chunks.join(''))).toEqual({ security_group_rules: items });
    expect(total).toBe(JSON.stringify({ security_group_rules: items }).length);
  });
});
