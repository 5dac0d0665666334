// Migration 006: ports' binding:profile, a JSON object kept as text (admin-only to set and read, as in Neutron).
import { sql, type Kysely, type Migration } from 'kysely';

export function bindingProfile(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('ports').addColumn('binding_profile', 'text', (c) => c.notNull().defaultTo(sql`'{}'`)).execute();
    },
  };
}
