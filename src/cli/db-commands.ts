// `palisade db backup|restore`: the CLI's one direct use of the database (everything else talks HTTP), read from the server's config.
import type { Command } from 'commander';

const WHERE = 'the database is the server\'s: PALISADE_DATABASE_URL, or database_url in the PALISADE_CONFIG file';

/**
 * Loaded only when a db command runs, so the agent and identity commands do not load the database drivers;
 * db-tool.ts is composition beside main.ts, the one place allowed to reach the store for the CLI.
 */
const dbTool = () => import('../db-tool.js');

export function registerDbCommands(program: Command): void {
  const db = program.command('db').description(`back up or restore the server's database (${WHERE})`);
  db.command('backup')
    .description('online backup into FILE (a new file) while the server runs; PostgreSQL: prints the pg_dump command')
    .argument('<file>', 'where to write the backup')
    .action(async (file: string) => {
      await (await dbTool()).backupDatabase(file);
      process.stdout.write(`backed up to ${file}\n`);
    });
  db.command('restore')
    .description('with the server stopped, make FILE the configured database; PostgreSQL: prints the pg_restore procedure')
    .argument('<file>', 'a backup made by `palisade db backup`')
    .option('--force', 'replace an existing database (refused while a server has it open)')
    .action(async (file: string, o: { force?: boolean }) => {
      await (await dbTool()).restoreDatabase(file, o.force === true);
      process.stdout.write(`restored ${file}; start the server\n`);
    });
}
