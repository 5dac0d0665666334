// Ready-made rules for common services: the console's "Add rule" templates and the CLI's `rule add --template`.

export interface RuleTemplate {
  readonly id: string;
  readonly label: string;
  /** '' = every protocol. */
  readonly protocol: string;
  /** null = every port (or every ICMP type). */
  readonly port: readonly [number, number] | null;
}

function tcp(id: string, label: string, port: number): RuleTemplate {
  return { id, label, protocol: 'tcp', port: [port, port] };
}

export const RULE_TEMPLATES: readonly RuleTemplate[] = [
  tcp('ssh', 'SSH (TCP 22)', 22),
  tcp('http', 'HTTP (TCP 80)', 80),
  tcp('https', 'HTTPS (TCP 443)', 443),
  tcp('rdp', 'RDP (TCP 3389)', 3389),
  { id: 'dns-udp', label: 'DNS (UDP 53)', protocol: 'udp', port: [53, 53] },
  tcp('dns-tcp', 'DNS (TCP 53)', 53),
  tcp('mysql', 'MySQL / MariaDB (TCP 3306)', 3306),
  tcp('postgresql', 'PostgreSQL (TCP 5432)', 5432),
  tcp('mssql', 'MS SQL (TCP 1433)', 1433),
  tcp('redis', 'Redis (TCP 6379)', 6379),
  tcp('smtp', 'SMTP (TCP 25)', 25),
  tcp('smtps', 'SMTPS (TCP 465)', 465),
  tcp('imap', 'IMAP (TCP 143)', 143),
  tcp('imaps', 'IMAPS (TCP 993)', 993),
  tcp('pop3', 'POP3 (TCP 110)', 110),
  tcp('pop3s', 'POP3S (TCP 995)', 995),
  tcp('ldap', 'LDAP (TCP 389)', 389),
  { id: 'ntp', label: 'NTP (UDP 123)', protocol: 'udp', port: [123, 123] },
  { id: 'all-tcp', label: 'All TCP', protocol: 'tcp', port: null },
  { id: 'all-udp', label: 'All UDP', protocol: 'udp', port: null },
  { id: 'all-icmp', label: 'All ICMP', protocol: 'icmp', port: null },
  { id: 'all-traffic', label: 'All traffic', protocol: '', port: null },
];

export function findTemplate(id: string): RuleTemplate | undefined {
  return RULE_TEMPLATES.find((t) => t.id === id);
}
