import { createHmac, timingSafeEqual } from 'node:crypto'
import type { DataExport, ExportArchive } from '@commons/contracts'
import { newId } from '@commons/db'
import { forbidden, notFound, personalDataPath } from '@commons/service-kit'
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.ts'
import {
  completeExport,
  failExport,
  findExport,
  findUserExport,
  insertExport,
  personalData,
} from './privacy.repository.ts'
import type { PrivacyDeps } from './privacy-deps.ts'

const signature = (secret: string, id: string, expires: number) =>
  createHmac('sha256', secret).update(`export:${id}:${expires}`).digest('base64url')

/** The signed download path of a ready export; it stops working at `expiresAt`. */
export function downloadPath(secret: string, id: string, expiresAt: Date) {
  const expires = Math.floor(expiresAt.getTime() / 1000)
  return `/v1/privacy/exports/${id}/archive?expires=${expires}&sig=${signature(secret, id, expires)}`
}

type ExportRow = {
  id: string
  status: DataExport['status']
  requestedAt: Date
  readyAt: Date | null
  expiresAt: Date | null
}

function toExportDto(deps: PrivacyDeps, row: ExportRow): DataExport {
  const live = row.status === 'ready' && row.expiresAt !== null && row.expiresAt > deps.clock.now()
  return {
    id: row.id,
    status: row.status,
    requestedAt: row.requestedAt.toISOString(),
    readyAt: row.readyAt?.toISOString() ?? null,
    downloadUrl: live && row.expiresAt ? downloadPath(deps.serviceToken, row.id, row.expiresAt) : null,
    expiresAt: row.expiresAt?.toISOString() ?? null,
  }
}

/** Starts an export: the `privacy.export` job assembles it from every service within minutes. */
export async function requestExport(deps: PrivacyDeps, userId: string): Promise<DataExport> {
  const row = await deps.db.transaction().execute(async (trx) => {
    const inserted = await insertExport(trx, newId(), userId, deps.clock.now())
    await deps.jobs.enqueue(trx, 'privacy.export', { exportId: inserted.id }, { maxAttempts: 5 })
    return inserted
  })
  return toExportDto(deps, row)
}

/** The person's own export (404 for anyone else's). */
export async function getExport(deps: PrivacyDeps, userId: string, id: string): Promise<DataExport> {
  const row = await findUserExport(deps.db, id, userId)
  if (!row) throw notFound('export', id)
  return toExportDto(deps, row)
}

/** The archive behind a signed link; a link that is altered or past its time is refused. */
export async function downloadExport(
  deps: PrivacyDeps,
  id: string,
  expires: number,
  sig: string,
): Promise<ExportArchive> {
  const wanted = Buffer.from(signature(deps.serviceToken, id, expires))
  const given = Buffer.from(sig)
  const valid = wanted.length === given.length && timingSafeEqual(wanted, given)
  if (!valid || expires * 1000 <= deps.clock.now().getTime()) {
    throw forbidden('This download link has expired or is not valid.', 'export_link_invalid')
  }
  const row = await findExport(deps.db, id)
  if (!row?.archive || row.status !== 'ready') throw notFound('export', id)
  return row.archive as ExportArchive
}

/** What listings itself holds about the person. */
export function listingsPart(db: Kysely<DB>, userId: string) {
  return personalData(db, userId)
}

/**
 * The `privacy.export` job: listings' own part plus each service's answer to the internal export call
 * (service token), so no service reads another's schema. A service that does not answer fails the attempt,
 * and the job is retried: an archive missing a part is never offered.
 */
export async function assembleExport(deps: PrivacyDeps, exportId: string, attempt: { last: boolean }) {
  const row = await findExport(deps.db, exportId)
  if (row?.status !== 'pending') return
  try {
    const parts: Record<string, Record<string, unknown>> = { listings: await listingsPart(deps.db, row.userId) }
    for (const [service, base] of Object.entries(deps.services)) {
      const res = await fetch(`${base}${personalDataPath(row.userId)}`, {
        headers: { authorization: `Bearer ${deps.serviceToken}` },
        signal: AbortSignal.timeout(30_000),
      })
      if (!res.ok) throw new Error(`${service} answered ${res.status} to the export call`)
      parts[service] = (await res.json()) as Record<string, unknown>
    }
    const now = deps.clock.now()
    const archive = { userId: row.userId, generatedAt: now.toISOString(), parts }
    await completeExport(deps.db, exportId, {
      readyAt: now,
      expiresAt: new Date(now.getTime() + deps.exportLinkTtlHours * 3_600_000),
      archive: JSON.stringify(archive),
    })
  } catch (error) {
    if (attempt.last) {
      await failExport(deps.db, exportId)
    }
    throw error
  }
}
