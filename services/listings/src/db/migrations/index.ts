import type { Migration } from 'kysely'
import * as accounts from './2026-11-21T1000-accounts.ts'
import * as listings from './2026-11-21T1100-listings.ts'
import * as loginThrottle from './2026-11-30T0900-login-throttle.ts'
import * as contactsPhoneNeeds from './2026-11-30T1300-contacts-phone-needs.ts'
import * as hierarchy from './2026-11-30T1300-hierarchy.ts'
import * as photos from './2026-11-30T1300-photos.ts'
import * as needSurvey from './2026-11-30T1500-need-survey.ts'
import * as accessVersions from './2026-11-30T1600-access-versions.ts'
import * as places from './2026-11-30T1600-places.ts'
import * as privacy from './2026-11-30T1600-privacy.ts'
import * as emailVerification from './2026-12-01T0200-email-verification.ts'
import * as invitations from './2026-12-01T0200-invitations.ts'

/** The listings schema's migrations, by name; names sort in the order they apply. */
export const migrations: Record<string, Migration> = {
  '2026-11-21T1000-accounts': accounts,
  '2026-11-21T1100-listings': listings,
  '2026-11-30T0900-login-throttle': loginThrottle,
  '2026-11-30T1300-contacts-phone-needs': contactsPhoneNeeds,

  '2026-11-30T1300-photos': photos,

  '2026-11-30T1300-hierarchy': hierarchy,
  '2026-11-30T1500-need-survey': needSurvey,

  '2026-11-30T1600-privacy': privacy,

  '2026-11-30T1600-access-versions': accessVersions,

  '2026-11-30T1600-places': places,

  '2026-12-01T0200-invitations': invitations,

  '2026-12-01T0200-email-verification': emailVerification,
}
