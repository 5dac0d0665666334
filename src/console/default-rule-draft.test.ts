import { describe, expect, it } from 'vitest';
import { EMPTY_TEMPLATE_DRAFT, templateBody, templateUse } from './default-rule-draft.js';

describe('default rule form', () => {
  it('sends blank fields as null, ports as numbers, and "the group itself" as PARENT', () => {
    expect(templateBody({ ...EMPTY_TEMPLATE_DRAFT, protocol: ' TCP ', portMin: '22', portMax: '22', remote: 'itself', cidr: '10.0.0.0/8' })).toEqual({
      direction: 'ingress', ethertype: 'IPv4', protocol: 'tcp', port_range_min: 22, port_range_max: 22, remote_ip_prefix: null,
      remote_group_id: 'PARENT', used_in_default_sg: false, used_in_non_default_sg: true, description: '',
    });
    expect(templateBody({ ...EMPTY_TEMPLATE_DRAFT, direction: 'egress', remote: 'cidr', cidr: ' 10.0.0.0/8 ' })).toMatchObject({
      direction: 'egress', protocol: null, port_range_min: null, remote_ip_prefix: '10.0.0.0/8', remote_group_id: null,
    });
  });

  it('leaves a port that is not a number for the server to refuse in Neutron\'s words', () => {
    expect(templateBody({ ...EMPTY_TEMPLATE_DRAFT, protocol: 'tcp', portMin: 'ssh' }).port_range_min).toBe('ssh');
  });

  it('says where a template goes', () => {
    expect(templateUse({ used_in_default_sg: true, used_in_non_default_sg: true })).toBe('Every new group');
    expect(templateUse({ used_in_default_sg: true, used_in_non_default_sg: false })).toBe('Default groups only');
    expect(templateUse({ used_in_default_sg: false, used_in_non_default_sg: true })).toBe('New groups except default');
    expect(templateUse({ used_in_default_sg: false, used_in_non_default_sg: false })).toBe('Unused');
  });
});
