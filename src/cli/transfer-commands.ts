// `palisade export|import`: a project's groups out to, and in from, Neutron JSON, AWS JSON, Terraform (export) and the console's CSV.
import { readFileSync, writeFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import type { RuleSetApplyResponseWire, RuleSetOutcomeWire, RuleSetWire, SecurityGroupWire, WhatIfWire } from '../contract/index.js';
import { emit, PalisadeApi, progressBar, PROCESS_IO, resolveNamed, UsageError, withConnection, type CliIo, type ConnectionFlags } from './cli-kit.js';
import { exportAws, importAws } from './formats/aws-format.js';
import { exportCsv, importCsv } from './formats/csv-format.js';
import { exportNeutron, importNeutron } from './formats/neutron-format.js';
import { exportTerraform } from './formats/terraform-format.js';
import { FormatError, looksLikeId, type ExportInput, type ExportResult, type ImportResult, type Unmapped } from './formats/transfer-model.js';
import { importWhatIfPlan, WHAT_IF_CHANGE_LIMIT, whatIfRows } from './import-what-if.js';
import { ruleText } from './rule-words.js';

const EXPORTERS: Record<string, (input: ExportInput) => ExportResult> = { neutron: exportNeutron, aws: exportAws, terraform: exportTerraform, csv: exportCsv };
const IMPORT_FORMATS = ['neutron', 'aws', 'csv'] as const;
/** Groups fetched per request on export: a page small enough that each answer stays modest. */
const EXPORT_BATCH = 20;

function reportUnmapped(print: (line: string) => void, verb: string, unmapped: readonly Unmapped[]): void {
  if (unmapped.length === 0) return;
  print(`not ${verb} (${unmapped.length}):`);
  for (const u of unmapped) print(`  ${u.group}: ${u.item} — ${u.reason}`);
}

/** The file's groups as the request's rule sets; `--group` retargets a one-group file (or names a CSV's group). */
export function parseImport(text: string, format: (typeof IMPORT_FORMATS)[number], group: string | undefined): ImportResult {
  const parsed = format === 'csv' ? importCsv(text, group) : format === 'aws' ? importAws(text) : importNeutron(text);
  if (group === undefined || format === 'csv') return parsed;
  if (parsed.groups.length !== 1) throw new UsageError(`--group names one group, but the file holds ${parsed.groups.length}`);
  const [only] = parsed.groups as [RuleSetWire];
  const { name: _name, id: _id, ...rest } = only;
  return { ...parsed, groups: [{ ...rest, ...(looksLikeId(group) ? { id: group } : { name: group }) }] };
}

function printOutcome(io: CliIo, o: RuleSetOutcomeWire): void {
  io.print(`group ${o.name || o.id}: ${o.action} (${o.created.length} to create, ${o.deleted.length} to delete, ${o.unchanged.length} unchanged)`);
  for (const r of o.created) io.print(`  + ${ruleText(r)}`);
  for (const r of o.deleted) io.print(`  - ${ruleText(r)}`);
}

export function registerTransferCommands(program: Command, io: CliIo = PROCESS_IO): void {
  withConnection(program.command('export [groups...]').description("write groups (names or ids; default: every group of the caller's project) as a file"))
    .addOption(new Option('--format <format>', 'file format').choices(Object.keys(EXPORTERS)).makeOptionMandatory())
    .option('-o, --output <file>', 'write to this file instead of standard output')
    .action(async (wanted: string[], o: ConnectionFlags & { format: string; output?: string }) => {
      const api = await PalisadeApi.connect(io, o);
      const { security_groups: visible } = await api.get<{ security_groups: SecurityGroupWire[] }>('/v2.0/security-groups?fields=id&fields=name&fields=project_id');
      let ids: string[];
      if (wanted.length > 0) {
        ids = [];
        for (const w of wanted) ids.push((await resolveNamed(api, 'security-groups', w)).id);
      } else {
        const project = await api.projectId();
        ids = visible.filter((g) => g.project_id === project).map((g) => g.id);
      }
      const bar = progressBar(io, 'exporting groups', ids.length);
      const groups: SecurityGroupWire[] = [];
      for (let i = 0; i < ids.length; i += EXPORT_BATCH) {
        const batch = ids.slice(i, i + EXPORT_BATCH);
        const query = batch.map((id) => `id=${encodeURIComponent(id)}`).join('&');
        const { security_groups: page } = await api.get<{ security_groups: SecurityGroupWire[] }>(`/v2.0/security-groups?${query}`);
        const byId = new Map(page.map((g) => [g.id, g]));
        groups.push(...batch.flatMap((id) => byId.get(id) ?? []));
        bar.tick(batch.length);
      }
      bar.done();
      const result = EXPORTERS[o.format]!({ groups, names: new Map(visible.map((g) => [g.id, g.name])) });
      if (o.output) writeFileSync(o.output, result.text);
      else io.print(result.text.replace(/\n$/, ''));
      reportUnmapped((l) => io.warn?.(l), 'exported', result.unmapped);
      if (o.output) io.warn?.(`exported ${groups.length} group(s) to ${o.output}`);
    });

  withConnection(program.command('import <file>').description('make groups hold the rules of a file: a dry run unless --apply, which applies all of it atomically'))
    .addOption(new Option('--format <format>', 'file format').choices(IMPORT_FORMATS).makeOptionMandatory())
    .option('--group <group>', 'the group (name or id) to import into: for a CSV file, or a file with one group')
    .option('--apply', 'apply the changes (in one transaction); without it nothing is changed')
    .addOption(new Option('-f, --print <format>', 'how to print the plan').choices(['table', 'json']).default('table'))
    .action(async (file: string, o: ConnectionFlags & { format: (typeof IMPORT_FORMATS)[number]; group?: string; apply?: boolean; print: 'table' | 'json' }) => {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (e) {
        throw new UsageError(`cannot read ${file}: ${(e as Error).message}`);
      }
      let parsed: ImportResult;
      try {
        parsed = parseImport(text, o.format, o.group);
      } catch (e) {
        if (e instanceof FormatError) throw new UsageError(`${file} (${o.format}): ${e.message}`);
        throw e;
      }
      const bar = progressBar(io, o.apply ? 'applying' : 'planning', 2);
      const api = await PalisadeApi.connect(io, o);
      bar.tick();
      const body = { security_groups: parsed.groups, dry_run: o.apply !== true };
      const answer = await api.call<RuleSetApplyResponseWire>('POST', '/v2.0/palisade/security-groups:apply', body);
      bar.tick();
      bar.done();
      // A dry run also says what the import would do to the reachability of the ports that exist (what-if).
      const plan = answer.dry_run ? importWhatIfPlan(answer.security_groups) : { changes: [], skipped: [] };
      let whatIf: WhatIfWire | null = null;
      let whatIfNote: string | null = null;
      if (plan.changes.length > WHAT_IF_CHANGE_LIMIT) whatIfNote = `reachability: not computed, ${plan.changes.length} rule changes are more than what-if takes at once (${WHAT_IF_CHANGE_LIMIT})`;
      else if (plan.changes.length > 0) whatIf = (await api.call<{ what_if: WhatIfWire }>('POST', '/v2.0/palisade/what-if', { changes: plan.changes })).what_if;
      if (o.print === 'json') return emit(io, 'json', [], [], { ...answer, unmapped: parsed.unmapped, ...(answer.dry_run && { what_if: whatIf, what_if_skipped: plan.skipped }) });
      for (const outcome of answer.security_groups) printOutcome(io, outcome);
      reportUnmapped(io.print, 'imported', parsed.unmapped);
      if (whatIfNote !== null) io.print(whatIfNote);
      if (whatIf !== null) {
        const rows = whatIfRows(whatIf);
        io.print(rows.length === 0 ? 'reachability: no difference for existing ports' : 'reachability, if applied:');
        for (const row of rows) io.print(`  ${row.join('  ')}`);
      }
      for (const s of plan.skipped) io.print(`reachability: left out, ${s}`);
      io.print(answer.dry_run ? 'dry run: nothing changed; run again with --apply to apply it' : 'applied');
    });
}

