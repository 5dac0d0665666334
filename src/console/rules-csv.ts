// Bulk upload and download of a group's rules as CSV: the template, the all-lines check, the export.
import type { SecurityGroupRuleWire } from '../contract/index.js';
import { CSV_COLUMNS, CsvSyntaxError, parseCsv } from '../contract/index.js';
import { checkRule, ruleKey, type RuleBody, type RuleCheckContext, type RuleFields } from './rule-check.js';

export { CSV_COLUMNS, rulesToCsv } from '../contract/index.js';

export const MAX_UPLOAD_RULES = 300;

const FIELD_OF: Record<(typeof CSV_COLUMNS)[number], keyof RuleFields> = {
  direction: 'direction', ethertype: 'ethertype', protocol: 'protocol', port_range_min: 'portRangeMin',
  port_range_max: 'portRangeMax', remote_ip_prefix: 'remoteIpPrefix', remote_group: 'remoteGroup', description: 'description',
};

/** The downloadable template: 8 comment lines that explain the columns, then the header. */
export const CSV_TEMPLATE = [
  '# Palisade security group rules: bulk upload template (at most 300 rules per file).',
  '# One rule per line under the header. Lines starting with # are ignored; keep these 8 lines.',
  '# direction: ingress or egress. ethertype: IPv4 or IPv6 (empty = IPv4).',
  '# protocol: tcp, udp, icmp, ... or a number 0-255; empty, any and 0 all mean every protocol.',
  '# port_range_min,port_range_max: ports for TCP/UDP/SCTP/DCCP/UDP-Lite (both empty = all); ICMP type,code for ICMP.',
  '# remote_ip_prefix: an address or CIDR (empty = anywhere), or remote_group: a group name or id. Not both.',
  '# description: up to 255 characters; put it in double quotes if it contains a comma.',
  '# Example: ingress,IPv4,tcp,22,22,203.0.113.0/24,,SSH from the office. The whole file is applied, or nothing.',
  CSV_COLUMNS.join(','),
  '',
].join('\n');

export interface LineProblem {
  /** 1-based line in the file; 0 for a problem with the file as a whole. */
  readonly line: number;
  readonly messages: string[];
}

/** A line the group already has (its automatic egress rules, in a file exported from another group): left out, not refused. */
export interface SkippedLine {
  readonly line: number;
  readonly ruleId: string;
}

export type UploadCheck = { ok: true; rules: RuleBody[]; skipped: SkippedLine[] } | { ok: false; problems: LineProblem[] };

export interface UploadContext extends RuleCheckContext {
  /** Rule ids of the group's current rules by `ruleKey`, to report a line that is already a rule. */
  readonly existing: ReadonlyMap<string, string>;
}

function readHeader(fields: readonly string[]): { columns: (keyof RuleFields)[] } | { error: string } {
  const names = fields.map((f) => f.trim().toLowerCase());
  const unknown = names.filter((n) => !(n in FIELD_OF));
  if (unknown.length > 0) return { error: `Unknown column(s) ${unknown.map((u) => `'${u}'`).join(', ')}; the header must be: ${CSV_COLUMNS.join(',')}` };
  if (!names.includes('direction')) return { error: "The header has no 'direction' column." };
  return { columns: names.map((n) => FIELD_OF[n as (typeof CSV_COLUMNS)[number]]) };
}

function toFields(columns: readonly (keyof RuleFields)[], values: readonly string[]): RuleFields {
  const out: Record<keyof RuleFields, string> = { direction: '', ethertype: '', protocol: '', portRangeMin: '', portRangeMax: '', remoteIpPrefix: '', remoteGroup: '', description: '' };
  columns.forEach((c, i) => (out[c] = values[i] ?? ''));
  return out;
}

/** Checks every line; the upload goes ahead only when no line has a problem (all or nothing). */
export function checkRulesCsv(text: string, ctx: UploadContext): UploadCheck {
  let records;
  try {
    records = parseCsv(text);
  } catch (e) {
    if (e instanceof CsvSyntaxError) return { ok: false, problems: [{ line: e.line, messages: [e.message] }] };
    throw e;
  }
  const [head, ...rows] = records;
  if (!head) return { ok: false, problems: [{ line: 0, messages: ['The file has no header line and no rules.'] }] };
  const header = readHeader(head.fields);
  if ('error' in header) return { ok: false, problems: [{ line: head.line, messages: [header.error] }] };
  if (rows.length === 0) return { ok: false, problems: [{ line: 0, messages: ['The file has no rules under the header.'] }] };
  if (rows.length > MAX_UPLOAD_RULES) return { ok: false, problems: [{ line: 0, messages: [`The file has ${rows.length} rules; at most ${MAX_UPLOAD_RULES} can be uploaded at once.`] }] };
  const problems: LineProblem[] = [];
  const rules: RuleBody[] = [];
  const skipped: SkippedLine[] = [];
  const seen = new Map<string, number>();
  for (const row of rows) {
    const messages: string[] = [];
    if (row.fields.length !== header.columns.length) messages.push(`Expected ${header.columns.length} columns, found ${row.fields.length}.`);
    const result = checkRule(toFields(header.columns, row.fields), ctx);
    if (!result.ok) messages.push(...result.issues.map((i) => i.message));
    else {
      const key = ruleKey(result.body);
      const earlier = seen.get(key);
      const existing = ctx.existing.get(key);
      if (earlier !== undefined) messages.push(`Same rule as line ${earlier}.`);
      else if (existing !== undefined) skipped.push({ line: row.line, ruleId: existing });
      else rules.push(result.body);
      seen.set(key, row.line);
    }
    if (messages.length > 0) problems.push({ line: row.line, messages: [...new Set(messages)] });
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, rules, skipped };
}

/** The key of an existing rule, for UploadContext.existing. */
export function wireRuleKey(r: SecurityGroupRuleWire): string {
  return ruleKey({ ...r, description: r.description });
}
