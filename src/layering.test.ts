// Checks the layer table of docs/design.md: imports point one way, other layers use only a layer's index.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = dirname(fileURLToPath(import.meta.url));

/**
 * Which layers each layer may import. Top-level files (main.ts, config.ts) may import anything.
 * `contract` is what the server and its clients share, so every layer may use it and it uses nothing.
 */
const ALLOWED: Record<string, readonly string[]> = {
  contract: [],
  domain: ['contract'],
  engine: ['contract', 'domain'],
  store: ['contract', 'domain'],
  service: ['contract', 'domain', 'engine', 'store'],
  api: ['contract', 'domain', 'engine', 'service'],
  agent: ['contract'],
  cli: ['contract', 'agent'],
  console: ['contract'],
};

/**
 * Files directly under src/ (the composition root) that a layer may import. The CLI's `db backup|restore`
 * is the one admin task that reaches the database itself rather than over HTTP, so the CLI loads db-tool.ts
 * (which composes config and store) and nothing else of the root; api reads the AuthMode type from config.
 */
const ROOT_FILES: Record<string, readonly string[]> = { api: ['config'], cli: ['db-tool'] };

const PURE_LAYERS = new Set(['contract', 'domain', 'engine']);
/**
 * The contract runs in the browser too: it imports no package but these, plain JavaScript with no Node
 * built-ins (ipaddr.js: the address parser whose spelling rules the stored prefixes already follow).
 */
const SELF_CONTAINED_LAYERS = new Set(['contract']);
const BROWSER_SAFE_PACKAGES = new Set(['ipaddr.js']);
const IMPURE_PACKAGES = /^(node:|fastify|@fastify\/|kysely|pg$|better-sqlite3)/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return name === 'node_modules' ? [] : sourceFiles(full);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [full] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]/g)) specs.push(m[1]!);
  for (const m of text.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g)) specs.push(m[1]!);
  return specs;
}

function layerOf(path: string): string | null {
  const rel = relative(SRC, path).split('/');
  return rel.length > 1 ? rel[0]! : null;
}

function violations(files: readonly { file: string; imports: readonly string[] }[]): string[] {
  const out: string[] = [];
  for (const { file, imports } of files) {
    const layer = layerOf(file);
    if (!layer || !(layer in ALLOWED)) continue;
    for (const spec of imports) {
      const where = `${relative(SRC, file)} imports ${spec}`;
      if (!spec.startsWith('.')) {
        if (SELF_CONTAINED_LAYERS.has(layer)) {
          if (!BROWSER_SAFE_PACKAGES.has(spec)) out.push(`${where}: ${layer} imports no package but ${[...BROWSER_SAFE_PACKAGES].join(', ')}`);
        }
        else if (PURE_LAYERS.has(layer) && IMPURE_PACKAGES.test(spec)) out.push(`${where}: ${layer} must stay pure`);
        continue;
      }
      const target = resolve(dirname(file), spec);
      const targetLayer = layerOf(target);
      const relTarget = relative(SRC, target).replace(/\.js$/, '');
      if (!targetLayer) {
        if (!(ROOT_FILES[layer] ?? []).includes(relTarget)) out.push(`${where}: ${layer} may use of the composition root only ${(ROOT_FILES[layer] ?? []).join(', ') || 'nothing'}`);
        continue;
      }
      if (targetLayer === layer) continue;
      const allowed = ALLOWED[layer]!.some((a) => relTarget === `${a}/index`);
      if (!allowed) out.push(`${where}: ${layer} may use only ${ALLOWED[layer]!.map((a) => `${a}/index`).join(', ') || 'nothing'}`);
    }
  }
  return out;
}

const realFiles = () => sourceFiles(SRC).map((file) => ({ file, imports: importsOf(file) }));

describe('layering', () => {
  it("imports point only leftward, through each layer's index, and contract/domain/engine stay pure", () => {
    expect(violations(realFiles())).toEqual([]);
  });

  it('catches a rightward import, a deep import, an impure domain, a client reaching into the API or the composition root, and a contract that imports anything', () => {
    const found = violations([
      { file: join(SRC, 'store', 'x.ts'), imports: ['../service/index.js'] },
      { file: join(SRC, 'api', 'y.ts'), imports: ['../store/sqlite/sqlite-store.js'] },
      { file: join(SRC, 'service', 'z.ts'), imports: ['../domain/cidr.js'] },
      { file: join(SRC, 'domain', 'w.ts'), imports: ['node:fs'] },
      { file: join(SRC, 'agent', 'v.ts'), imports: ['../api/wire/neutron-wire.js'] },
      { file: join(SRC, 'contract', 'u.ts'), imports: ['../domain/index.js', 'fast-check', 'ipaddr.js', './protocol-table.js'] },
      { file: join(SRC, 'console', 't.ts'), imports: ['../contract/index.js', '../contract/protocol-table.js'] },
      { file: join(SRC, 'cli', 's.ts'), imports: ['../db-tool.js', '../main.js'] },
    ]);
    expect(found).toHaveLength(9);
  });
});
