// Tests for the CSV reader and writer the bulk upload and download use.
import { describe, expect, it } from 'vitest';
import { CsvSyntaxError, parseCsv, toCsv } from './csv-codec.js';

describe('parseCsv', () => {
  it('reads records with their line numbers, skipping comments and blank lines', () => {
    const text = '# comment, with comma\r\na,b,c\r\n\r\n"x, y","say ""hi""",\n# another\nlast';
    expect(parseCsv(text)).toEqual([
      { line: 2, fields: ['a', 'b', 'c'] },
      { line: 4, fields: ['x, y', 'say "hi"', ''] },
      { line: 6, fields: ['last'] },
    ]);
  });

  it('keeps line numbers right after a quoted field spanning lines, and drops a BOM', () => {
    expect(parseCsv('\uFEFFa,"one\ntwo"\nb')).toEqual([{ line: 1, fields: ['a', 'one\ntwo'] }, { line: 3, fields: ['b'] }]);
  });

  it('reports an unclosed quote with its line', () => {
    expect(() => parseCsv('a\n"open,b')).toThrow(CsvSyntaxError);
    expect(() => parseCsv('a\n"open,b')).toThrow('Line 2');
  });
});

describe('toCsv', () => {
  it('quotes only what needs it and round-trips', () => {
    const rows = [['a', 'b,c', 'say "hi"', '#not comment', ''], ['1', 'two\nlines', ' pad', 'x', 'y']];
    const text = toCsv(rows);
    expect(text.split('\n')[0]).toBe('a,"b,c","say ""hi""","#not comment",');
    expect(parseCsv(text).map((r) => r.fields)).toEqual(rows);
  });
});
