// `palisade --help` lists every command, not only the families: people look for `palisade rule add`, not `rule`.
import type { Command } from 'commander';

/** Every runnable command under `command`, as `[path with arguments, description]`. */
export function leafCommands(command: Command, prefix = ''): [string, string][] {
  return command.commands.flatMap((c) => {
    const path = `${prefix}${c.name()}`;
    if (c.commands.length > 0) return leafCommands(c, `${path} `);
    const args = c.registeredArguments.map((a) => (a.required ? `<${a.name()}${a.variadic ? '...' : ''}>` : `[${a.name()}${a.variadic ? '...' : ''}]`));
    return [[[path, ...args].join(' '), c.description()]];
  });
}

/** Adds the list of every command after the root's help; `palisade help <command>` tells more. */
export function everyCommandHelp(program: Command): Command {
  return program.addHelpText('after', () => {
    const rows = leafCommands(program);
    const width = Math.max(...rows.map(([p]) => p.length));
    return [
      '',
      'Every command:',
      ...rows.map(([path, description]) => `  palisade ${path.padEnd(width)}  ${description}`),
      '',
      'Sign-in: OS_AUTH_URL, OS_USERNAME, OS_PASSWORD, OS_PROJECT_NAME (or OS_TOKEN), as for the openstack client.',
      'Server: --url, else PALISADE_URL, else the network endpoint of the token\'s catalog. Exit codes: 0 ok, 1 error, 2 bad usage.',
      'More: palisade help <command>, and docs/cli.md.',
    ].join('\n');
  });
}
