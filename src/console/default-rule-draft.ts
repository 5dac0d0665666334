// The "Add default rule" form: what a person fills in, and the template body it becomes (neutron-api.md §3.4).

/** `itself` is Neutron's `PARENT`: the rule's remote is the new group. */
export type TemplateRemote = 'anywhere' | 'cidr' | 'itself';

export interface TemplateDraft {
  readonly direction: 'ingress' | 'egress';
  readonly ethertype: 'IPv4' | 'IPv6';
  /** Blank for every protocol. */
  readonly protocol: string;
  readonly portMin: string;
  readonly portMax: string;
  readonly remote: TemplateRemote;
  readonly cidr: string;
  readonly usedInDefaultSg: boolean;
  readonly usedInNonDefaultSg: boolean;
  readonly description: string;
}

export interface TemplateBody {
  direction: 'ingress' | 'egress';
  ethertype: 'IPv4' | 'IPv6';
  protocol: string | null;
  port_range_min: number | null;
  port_range_max: number | null;
  remote_ip_prefix: string | null;
  remote_group_id: string | null;
  used_in_default_sg: boolean;
  used_in_non_default_sg: boolean;
  description: string;
}

export const EMPTY_TEMPLATE_DRAFT: TemplateDraft = {
  direction: 'ingress', ethertype: 'IPv4', protocol: '', portMin: '', portMax: '', remote: 'anywhere', cidr: '',
  usedInDefaultSg: false, usedInNonDefaultSg: true, description: '',
};

/** A port field: blank is none; anything else is sent as typed for the server to judge (its messages are Neutron's). */
function port(text: string): number | null {
  const t = text.trim();
  return t === '' ? null : /^[0-9]+$/.test(t) ? Number(t) : (t as unknown as number);
}

export function templateBody(d: TemplateDraft): TemplateBody {
  const protocol = d.protocol.trim();
  return {
    direction: d.direction, ethertype: d.ethertype, protocol: protocol === '' ? null : protocol.toLowerCase(),
    port_range_min: port(d.portMin), port_range_max: port(d.portMax),
    remote_ip_prefix: d.remote === 'cidr' ? d.cidr.trim() : null, remote_group_id: d.remote === 'itself' ? 'PARENT' : null,
    used_in_default_sg: d.usedInDefaultSg, used_in_non_default_sg: d.usedInNonDefaultSg, description: d.description,
  };
}

/** Where a template goes, in words. */
export function templateUse(t: { used_in_default_sg: boolean; used_in_non_default_sg: boolean }): string {
  if (t.used_in_default_sg && t.used_in_non_default_sg) return 'Every new group';
  if (t.used_in_default_sg) return 'Default groups only';
  if (t.used_in_non_default_sg) return 'New groups except default';
  return 'Unused';
}
