// `palisade completion bash|zsh`: shell completion scripts generated from the command tree, so they never drift from it.
import type { Command, Option } from 'commander';
import { PROCESS_IO, UsageError, type CliIo } from './cli-kit.js';

interface Node {
  readonly path: string;
  readonly words: string[];
}

function optionWords(options: readonly Option[]): string[] {
  return options.flatMap((o) => [o.short, o.long].filter((w): w is string => w !== undefined));
}

/** Every command path (`''`, `group`, `group list`, …) with what may follow it: subcommands, or options. */
function nodes(command: Command, path = ''): Node[] {
  const subs = command.commands.filter((c) => !(c as Command & { _hidden?: boolean })._hidden);
  const words = subs.length > 0 ? [...subs.map((c) => c.name()), ...(path === '' ? ['help'] : [])] : optionWords(command.options);
  return [{ path, words: [...words, '--help'] }, ...subs.flatMap((c) => nodes(c, path === '' ? c.name() : `${path} ${c.name()}`))];
}

/** Options whose values are a fixed list (`-f table|json|csv|yaml`, `--format neutron|…`), by option word. */
function choices(command: Command): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const walk = (c: Command) => {
    for (const o of c.options) {
      const values = (o as Option & { argChoices?: string[] }).argChoices;
      if (!values) continue;
      for (const w of optionWords([o])) out.set(w, [...new Set([...(out.get(w) ?? []), ...values])]);
    }
    c.commands.forEach(walk);
  };
  walk(command);
  return out;
}

function quote(words: readonly string[]): string {
  return `'${words.join(' ')}'`;
}

export function bashCompletion(program: Command): string {
  const all = nodes(program);
  const byValue = choices(program);
  return [
    '# bash completion for palisade: source <(palisade completion bash), or save it under /etc/bash_completion.d/',
    '_palisade() {',
    '  local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}" path="" w i next words',
    `  local paths='|${all.map((n) => n.path).join('|')}|'`,
    '  case "$prev" in',
    ...[...byValue].map(([option, values]) => `    ${option}) COMPREPLY=($(compgen -W ${quote(values)} -- "$cur")); return;;`),
    '  esac',
    '  for ((i=1; i<COMP_CWORD; i++)); do',
    '    w="${COMP_WORDS[i]}"',
    '    next="${path:+$path }$w"',
    '    [[ $w != -* && $paths == *"|$next|"* ]] && path="$next"',
    '  done',
    '  case "$path" in',
    ...all.map((n) => `    ${n.path === '' ? "''" : `'${n.path}'`}) words=${quote(n.words)};;`),
    '  esac',
    '  COMPREPLY=($(compgen -W "$words" -- "$cur"))',
    '}',
    'complete -F _palisade palisade',
    '',
  ].join('\n');
}

/** zsh runs the bash function through bashcompinit, so both shells complete the same words. */
export function zshCompletion(program: Command): string {
  return [
    '#compdef palisade',
    '# zsh completion for palisade: source <(palisade completion zsh), or save it as _palisade in a directory of $fpath',
    'autoload -U +X compinit && { (( $+functions[compdef] )) || compinit; }',
    'autoload -U +X bashcompinit && bashcompinit',
    bashCompletion(program),
  ].join('\n');
}

export function registerCompletionCommands(program: Command, io: CliIo = PROCESS_IO): void {
  program
    .command('completion <shell>')
    .description('print a completion script for bash or zsh: source <(palisade completion bash)')
    .action((shell: string) => {
      if (shell === 'bash') return io.print(bashCompletion(program).trimEnd());
      if (shell === 'zsh') return io.print(zshCompletion(program).trimEnd());
      throw new UsageError(`completion for bash or zsh, not '${shell}'`);
    });
}
