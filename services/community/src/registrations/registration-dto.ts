import type { Registration } from '@commons/contracts'
import type { RegistrationRow } from '../db/schema.ts'

/** A sign-up as its person and the host see it; `position` is its place in its role's waitlist. */
export function toRegistrationDto(row: RegistrationRow, position: number | null): Registration {
  return {
    id: row.id,
    activityId: row.activityId,
    userId: row.userId,
    displayName: row.displayName,
    role: row.role,
    partyMember: row.partyMember,
    status: row.status,
    waitlistPosition: row.status === 'waitlisted' ? position : null,
    code: row.code,
    checkedInAt: row.checkedInAt?.toISOString() ?? null,
    late: row.late,
    noShow: row.noShow,
    createdAt: row.createdAt.toISOString(),
  }
}
