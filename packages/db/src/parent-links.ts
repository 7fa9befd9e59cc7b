import { OrganizationParentChangedPayload } from '@commons/contracts'
import { type QueryExecutorProvider, sql } from 'kysely'
import type { AnyTransaction } from './outbox.ts'

/**
 * Applies listings' `organization.parent_changed` to the service's replica of confirmed parent links, the
 * table `organization_parents (organization_id primary key, parent_id, version)` the service creates in its
 * own schema. Idempotent by version: an event not newer than the stored row changes nothing (delivery is
 * at least once).
 */
export async function applyParentChanged(trx: AnyTransaction, payload: unknown): Promise<void> {
  const { organizationId, parentId, version } = OrganizationParentChangedPayload.parse(payload)
  await sql`
    insert into organization_parents (organization_id, parent_id, version)
    values (${organizationId}, ${parentId}, ${version})
    on conflict (organization_id) do update set parent_id = excluded.parent_id, version = excluded.version
      where organization_parents.version < excluded.version`.execute(trx as unknown as QueryExecutorProvider)
}
