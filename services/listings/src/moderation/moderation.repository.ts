import type { AuditAction, AuditEntry } from '@commons/contracts'
import { newId } from '@commons/db'
import type { Kysely, Transaction } from 'kysely'
import type { DB } from '../db/schema.ts'

/** Records a moderation action; takes a transaction so the record commits with the action itself. */
export function recordAudit(
  trx: Transaction<DB>,
  entry: {
    actorId: string | null
    action: AuditAction
    objectType: AuditEntry['objectType']
    objectId: string
    reason?: string | null
  },
) {
  return trx
    .insertInto('auditLog')
    .values({ id: newId(), ...entry, reason: entry.reason ?? null })
    .execute()
}

/**
 * Up to `limit + 1` audit entries, newest first, with the moderator's display name and the object's own
 * name as it is now (a listing's title, an organization's or a member's name), so the log reads as what
 * happened to what.
 */
export function listAudit(db: Kysely<DB>, opts: { afterId?: string; limit: number }) {
  let q = db
    .selectFrom('auditLog')
    .leftJoin('users', 'users.id', 'auditLog.actorId')
    .leftJoin('listings', (j) =>
      j.onRef('listings.id', '=', 'auditLog.objectId').on('auditLog.objectType', '=', 'listing'),
    )
    .leftJoin('organizations', (j) =>
      j.onRef('organizations.id', '=', 'auditLog.objectId').on('auditLog.objectType', '=', 'organization'),
    )
    .leftJoin('users as subject', (j) =>
      j.onRef('subject.id', '=', 'auditLog.objectId').on('auditLog.objectType', '=', 'user'),
    )
    .select((eb) => eb.fn.coalesce('listings.title', 'organizations.name', 'subject.displayName').as('objectName'))
    .select([
      'auditLog.id',
      'auditLog.actorId',
      'users.displayName as actorName',
      'auditLog.action',
      'auditLog.objectType',
      'auditLog.objectId',
      'auditLog.reason',
      'auditLog.createdAt',
    ])
  if (opts.afterId) q = q.where('auditLog.id', '<', opts.afterId)
  return q
    .orderBy('auditLog.id', 'desc')
    .limit(opts.limit + 1)
    .execute()
}
