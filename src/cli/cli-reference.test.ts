// docs/cli.md is commander's help of every command: regenerated here, compared byte for byte (`npm run docs:cli` rewrites it).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliReference } from './cli-reference.js';
import { buildProgram } from './main.js';

const PAGE = join(import.meta.dirname, '..', '..', 'docs', 'cli.md');

describe('docs/cli.md', () => {
  it('is the help of the commands as they are now', () => {
    const page = cliReference(buildProgram({ env: {}, print: () => undefined }));
    if (process.env['PALISADE_WRITE_DOCS'] === '1') writeFileSync(PAGE, page);
    expect(readFileSync(PAGE, 'utf8'), 'docs/cli.md is out of date: run `npm run docs:cli`').toBe(page);
  });

  it('has a section for every command, leaves included', () => {
    const page = cliReference(buildProgram({ env: {}, print: () => undefined }));
    for (const heading of ['## palisade rule add', '## palisade import', '## palisade export', '## palisade lab up', '## palisade completion']) {
      expect(page).toContain(`${heading}\n`);
    }
  });
});
