// Migration 012: rules know their group's project, and an index holds only the rules another project owns in a group.
import { sql, type Kysely, type Migration } from 'kysely';

/**
 * A member sees the rules other projects own in its groups. Found through the groups (`security_group_id IN
 * (my groups)`), that costs an index probe per group, and PostgreSQL, which cannot know such rules are rare,
 * hashes every other project's rules instead. With the group's project on the rule, they are the rows of a
 * partial index holding only rules whose owner differs from their group's: one index range, as long as the answer.
 */
export function regionIndexes(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('security_group_rules').addColumn('group_project_id', 'varchar(255)').execute();
      await sql`update security_group_rules set group_project_id =
        (select g.project_id from security_groups g where g.id = security_group_rules.security_group_id)`.execute(db);
      await sql`create index rules_foreign_owner on security_group_rules (group_project_id, id)
        where project_id <> group_project_id`.execute(db);
    },
  };
}
