import type { Migration } from 'kysely'
import * as bookings from './2026-11-21T1000-bookings.ts'
import * as calendars from './2026-11-21T1100-calendars.ts'
import * as ratings from './2026-11-21T1300-ratings.ts'
import * as listingTitle from './2026-11-22T1000-booking-listing-title.ts'
import * as auditRole from './2026-11-22T1100-booking-audit-role.ts'
import * as hiddenRatings from './2026-11-22T1200-hidden-ratings.ts'
import * as ratingAudit from './2026-11-22T1300-rating-audit.ts'
import * as jobsAdoption from './2026-11-30T1000-jobs-adoption.ts'
import * as bookingParties from './2026-11-30T1300-booking-parties.ts'
import * as cancellationTerms from './2026-11-30T1300-cancellation-terms.ts'
import * as quota from './2026-11-30T1300-quota.ts'

import * as reportDismissal from './2026-11-30T1300-report-dismissal.ts'
import * as paymentSteps from './2026-11-30T1310-payment-steps.ts'
import * as activityCredits from './2026-11-30T1400-activity-credits.ts'
import * as access from './2026-11-30T1600-access.ts'
import * as creationCaps from './2026-12-01T0500-creation-caps.ts'

/** The bookings schema's migrations, by name; names sort in the order they apply. */
export const migrations: Record<string, Migration> = {
  '2026-11-21T1000-bookings': bookings,
  '2026-11-21T1100-calendars': calendars,
  '2026-11-21T1300-ratings': ratings,
  '2026-11-22T1000-booking-listing-title': listingTitle,
  '2026-11-22T1100-booking-audit-role': auditRole,
  '2026-11-22T1200-hidden-ratings': hiddenRatings,
  '2026-11-22T1300-rating-audit': ratingAudit,
  '2026-11-30T1000-jobs-adoption': jobsAdoption,
  '2026-11-30T1300-cancellation-terms': cancellationTerms,
  '2026-11-30T1310-payment-steps': paymentSteps,
  '2026-11-30T1300-booking-parties': bookingParties,
  '2026-11-30T1300-report-dismissal': reportDismissal,

  '2026-11-30T1300-quota': quota,
  '2026-11-30T1400-activity-credits': activityCredits,
  '2026-11-30T1600-access': access,
  '2026-12-01T0500-creation-caps': creationCaps,
}
