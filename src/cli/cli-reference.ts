// docs/cli.md, generated from commander's help so the page cannot drift from the commands (cli-reference.test.ts checks).
import type { Command } from 'commander';

const PREAMBLE = `# The \`palisade\` command line

Generated from the commands' own help by \`npm run docs:cli\`; \`src/cli/cli-reference.test.ts\` fails when this
page and the commands differ. How to get a \`palisade\` command: see the README.

Every command that calls the API:
- signs in from the \`OS_*\` variables as the \`openstack\` client does (\`OS_AUTH_URL\`, \`OS_USERNAME\` or
  \`OS_USER_ID\`, \`OS_PASSWORD\`, \`OS_PROJECT_NAME\` or \`OS_PROJECT_ID\`, \`OS_USER_DOMAIN_NAME\`,
  \`OS_PROJECT_DOMAIN_NAME\`), or uses \`OS_TOKEN\`; without any credentials it sends the headers of a
  server in \`noauth\` mode (an admin of \`OS_PROJECT_ID\`, default \`admin\`);
- finds the server at \`--url\`, else \`PALISADE_URL\`, else the network endpoint of the token's catalog
  (\`OS_INTERFACE\`, default public; \`OS_REGION_NAME\`), else \`http://127.0.0.1:9696\`;
- accepts names or ids wherever a group, port or network is named (a name must be unique);
- prints \`-f table\` (default), \`json\` (the API's objects, unchanged), \`csv\` or \`yaml\`;
- exits 0 on success, 1 when the API refuses (with its message), 2 on bad usage.

Long exports and imports draw a progress bar on stderr when stdout and stderr are terminals.
Shell completion: \`source <(palisade completion bash)\`, or \`zsh\`.
`;

function runnable(command: Command, path: string[] = []): { path: string[]; command: Command }[] {
  return command.commands.flatMap((c) => {
    const here = [...path, c.name()];
    return [{ path: here, command: c }, ...runnable(c, here)];
  });
}

/** The page: the preamble, the root's help, then each command's help under its own heading. */
export function cliReference(program: Command): string {
  const help = (c: Command) => c.helpInformation().trimEnd();
  const sections = runnable(program).map(({ path, command }) => `## palisade ${path.join(' ')}\n\n\`\`\`text\n${help(command)}\n\`\`\`\n`);
  return [PREAMBLE, '## palisade\n', '```text', help(program), '```', '', ...sections].join('\n');
}
