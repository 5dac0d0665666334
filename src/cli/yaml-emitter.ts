// A small YAML writer for `-f yaml`: JSON values (what the API answers) as block YAML that any YAML 1.2 reader reads back.

/** Plain scalars that a YAML reader would take for something else (booleans, null, numbers) and must be quoted. */
const LOOKS_TYPED = /^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|yes|no|on|off|y|n|[-+]?(?:\.inf|\.nan|[0-9][0-9_.:eE+-]*|0x[0-9a-fA-F]+|0o[0-7]+|\.[0-9]+))$/i;

function scalar(value: string): string {
  const plain = value.length > 0 && !LOOKS_TYPED.test(value) && /^[A-Za-z0-9_./()@][^:#\n\t"'\\]*$/.test(value) && !/\s$/.test(value) && !value.includes(': ');
  return plain ? value : JSON.stringify(value);
}

function isScalar(value: unknown): boolean {
  return value === null || typeof value !== 'object' || (Array.isArray(value) ? value.length === 0 : Object.keys(value).length === 0);
}

function inline(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return scalar(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return Array.isArray(value) ? '[]' : '{}';
}

function lines(value: unknown, indent: string): string[] {
  if (isScalar(value)) return [`${indent}${inline(value)}`];
  if (Array.isArray(value)) {
    return value.flatMap((item) => {
      if (isScalar(item)) return [`${indent}- ${inline(item)}`];
      const [first, ...rest] = lines(item, `${indent}  `);
      return [`${indent}- ${first!.slice(indent.length + 2)}`, ...rest];
    });
  }
  return Object.entries(value as Record<string, unknown>).flatMap(([key, item]) =>
    isScalar(item) ? [`${indent}${scalar(key)}: ${inline(item)}`] : [`${indent}${scalar(key)}:`, ...lines(item, Array.isArray(item) ? indent : `${indent}  `)],
  );
}

/** The value as a YAML document, without the `---` marker; ends with a newline. */
export function toYaml(value: unknown): string {
  return `${lines(value, '').join('\n')}\n`;
}
