// Checks that the repository explains itself: nothing points outside it, every cited rule is in docs/neutron-api.md.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const WALKED = ['src', 'test', 'bench', 'docs', 'README.md'];
const TEXT = /\.(ts|tsx|js|mjs|cjs|md|json|html|css|py|sh|sql|ya?ml)$/;

/** Pointers to documents that live outside the repository, which a newcomer cannot open. */
const OUTSIDE: readonly RegExp[] = [
  /(?:\.\.\/)+shared\b/,
  /\/work\/shared\b/,
  /\bshared\/(?:spec|seed)\b/,
  /\b(?:DESIGN|STYLE|STACK)\.md\b/,
];

const REF = String.raw`[BRS]\d+\b`;
const RUN = String.raw`${REF}(?:\s*(?:,|–|-|\/|and)\s*${REF})*`;
/**
 * A rule number counts as a citation only where the code writes citations: after "rule(s)", "spec",
 * "neutron-api.md" or a section; inside parentheses before `)`, `,`, `;` or `:`; or opening a comment
 * or test name with a colon (`/** S24: …`, `it('B1: …`). A lone "S3" elsewhere is someone else's S3.
 */
const RULE_CITATIONS: readonly RegExp[] = [
  new RegExp(String.raw`(?:\brules?|\bspec|neutron-api\.md|§\d+(?:\.\d+)*,?)\s+(${RUN})`, 'g'),
  new RegExp(String.raw`\(\s*(${RUN})(?=\s*[),;:])`, 'g'),
  new RegExp(String.raw`(?:^\s*(?:\/\/|\/\*+|\*)\s*|['"\x60])(${RUN}):`, 'gm'),
];
const SECTION_CITATION = /(?<!RFC\s?\d+\s?)§\s?(\d+(?:\.\d+)*)/g;

function walk(path: string): string[] {
  if (!statSync(path).isDirectory()) return TEXT.test(path) ? [path] : [];
  const names = readdirSync(path).filter((name) => name !== 'node_modules' && name !== 'dist');
  return names.flatMap((name) => walk(join(path, name)));
}

/** The sections (`## §4.6 …`) and rules (`- **S6** …`) docs/neutron-api.md defines. */
function definitions(doc: string): { sections: Set<string>; rules: Set<string> } {
  const sections = new Set([...doc.matchAll(/^#{2,4} §(\d+(?:\.\d+)*)\s/gm)].map((m) => m[1]!));
  const rules = new Set([...doc.matchAll(/^- \*\*([BRS]\d+)\*\*/gm)].map((m) => m[1]!));
  return { sections, rules };
}

/** Every rule a citation run names: "S4, S11–S16" is S4 and S11 to S16. */
function rulesOf(run: string): string[] {
  const out: string[] = [];
  for (const m of run.matchAll(new RegExp(String.raw`([BRS])(\d+)(?:\s*[–-]\s*([BRS])(\d+))?`, 'g'))) {
    const [, letter, from, toLetter, to] = m;
    if (to === undefined || toLetter !== letter) {
      out.push(`${letter}${from}`);
      if (to !== undefined) out.push(`${toLetter}${to}`);
      continue;
    }
    for (let n = Number(from); n <= Number(to); n++) out.push(`${letter}${n}`);
  }
  return out;
}

function problemsIn(where: string, text: string, defined: ReturnType<typeof definitions>): string[] {
  const out: string[] = [];
  text.split('\n').forEach((line, i) => {
    const at = `${where}:${i + 1}`;
    const outside = OUTSIDE.find((pattern) => pattern.test(line));
    if (outside) out.push(`${at}: points outside the repository (${outside.source})`);
    for (const m of line.matchAll(SECTION_CITATION)) {
      if (!defined.sections.has(m[1]!)) out.push(`${at}: §${m[1]} is not a section of docs/neutron-api.md`);
    }
    const cited = RULE_CITATIONS.flatMap((pattern) => [...line.matchAll(pattern)].flatMap((m) => rulesOf(m[1]!)));
    for (const rule of new Set(cited)) {
      if (!defined.rules.has(rule)) out.push(`${at}: rule ${rule} is not defined in docs/neutron-api.md`);
    }
  });
  return out;
}

const realDefinitions = () => definitions(readFileSync(join(ROOT, 'docs', 'neutron-api.md'), 'utf8'));

describe('docs references', () => {
  it('no file points outside the repository, and every cited section and rule is in docs/neutron-api.md', () => {
    const defined = realDefinitions();
    const files = WALKED.flatMap((p) => walk(join(ROOT, p)));
    expect(files.length).toBeGreaterThan(100);
    expect(files.flatMap((f) => problemsIn(relative(ROOT, f), readFileSync(f, 'utf8'), defined))).toEqual([]);
  });

  it('docs/neutron-api.md defines the rule families the code cites', () => {
    const { sections, rules } = realDefinitions();
    expect(['1', '4.6', '6.3', '7.4', '10.3', '14.2'].filter((s) => !sections.has(s))).toEqual([]);
    expect(['B1', 'B12', 'R1', 'R10', 'S1', 'S27'].filter((r) => !rules.has(r))).toEqual([]);
  });

  it('catches outside paths and unknown numbers in the citation forms, and leaves other tokens alone', () => {
    const defined = { sections: new Set(['4', '4.6']), rules: new Set(['S1', 'S2', 'S3', 'R1', 'B1']) };
    const bad = [
      '// see ../shar' + 'ed/spec/api.md',
      '// as DESIGN' + '.md says',
      '// quotas (spec §4.7)',
      '/** S9: a bulk names one group. */',
      "it('B2: an empty body', () => {});",
      '// rule parsing (S1–S4)',
      '// neutron-api.md §4.6 R2',
    ];
    const good = [
      '// quotas (neutron-api.md §4.6, S1–S3, R1)',
      '// what an S3 bucket or the R2 store does; L4 ports; const V2 = 1;',
      "it('S1: security_group_id is a string', () => {});",
      '// the shared group, shared with a project',
    ];
    expect(bad.map((line) => problemsIn('x', line, defined).length)).toEqual([1, 1, 1, 1, 1, 1, 1]);
    expect(good.flatMap((line) => problemsIn('x', line, defined))).toEqual([]);
  });
});
