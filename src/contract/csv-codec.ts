// RFC 4180 CSV: records with their line numbers (for error reports), `#` comment lines, and quoting on output.

export interface CsvRecord {
  /** 1-based line where the record starts. */
  readonly line: number;
  readonly fields: string[];
}

export class CsvSyntaxError extends Error {
  constructor(readonly line: number, message: string) {
    super(message);
    this.name = 'CsvSyntaxError';
  }
}

/** Parses CSV text; blank lines and lines starting with `#` are skipped. Throws CsvSyntaxError on an unclosed quote. */
export function parseCsv(input: string): CsvRecord[] {
  const text = input.replace(/^\uFEFF/, '');
  const records: CsvRecord[] = [];
  let line = 1;
  let i = 0;
  while (i < text.length) {
    const start = line;
    if (text[i] === '#') {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end + 1;
      line++;
      continue;
    }
    const fields: string[] = [];
    let field = '';
    let quoted = false;
    for (;;) {
      const c = text[i];
      if (quoted) {
        if (c === undefined) throw new CsvSyntaxError(start, `Line ${start}: a quoted field is never closed.`);
        if (c === '"' && text[i + 1] === '"') { field += '"'; i += 2; continue; }
        if (c === '"') { quoted = false; i++; continue; }
        if (c === '\n') line++;
        field += c;
        i++;
        continue;
      }
      if (c === '"' && field === '') { quoted = true; i++; continue; }
      if (c === ',') { fields.push(field); field = ''; i++; continue; }
      if (c === undefined || c === '\n' || (c === '\r' && text[i + 1] === '\n')) {
        fields.push(field);
        i += c === undefined ? 0 : c === '\r' ? 2 : 1;
        if (c !== undefined) line++;
        break;
      }
      field += c;
      i++;
    }
    if (!(fields.length === 1 && fields[0]!.trim() === '')) records.push({ line: start, fields });
  }
  return records;
}

function quote(value: string): string {
  return /[",\r\n]/.test(value) || /^[#\s]|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** One CSV line per row, CRLF-free (`\n`), fields quoted only when they need it. */
export function toCsv(rows: readonly (readonly string[])[]): string {
  return rows.map((r) => r.map(quote).join(',')).join('\n') + '\n';
}
