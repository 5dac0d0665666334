// Tests for the instance form's network choices (issue 18 defect 2).
import { describe, expect, it } from 'vitest';
import type { NetworkWire, SubnetWire } from '../contract/index.js';
import { defaultNetworkId, networkChoices } from './network-choices.js';

const net = (id: string, name: string) => ({ id, name }) as NetworkWire;
const subnet = (networkId: string) => ({ id: `s-${networkId}`, network_id: networkId }) as SubnetWire;

describe('networkChoices', () => {
  it('puts networks with a subnet first, tells same-named ones apart and preselects one that gives an address', () => {
    const choices = networkChoices([net('aaaaaaaa-empty', 'net1'), net('bbbbbbbb-full', 'net1')], [subnet('bbbbbbbb-full')]);
    expect(choices).toEqual([
      { id: 'bbbbbbbb-full', label: 'net1 (bbbbbbbb)', usable: true },
      { id: 'aaaaaaaa-empty', label: 'net1 (aaaaaaaa) (no subnet: no address)', usable: false },
    ]);
    expect(defaultNetworkId(choices)).toBe('bbbbbbbb-full');
    expect(defaultNetworkId(networkChoices([net('x', 'only')], []))).toBe('x');
  });
});
