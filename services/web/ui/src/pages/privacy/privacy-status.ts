import type { Schema } from '@commons/client'
import { api } from '../../lib/api.ts'
import { must } from '../../lib/load.ts'

export type PrivacyStatus = Schema<'PrivacyStatus'>
export type ConsentPurpose = keyof PrivacyStatus['consents']
export const CONSENT_PURPOSES: ConsentPurpose[] = ['personalisedRecommendations', 'emailNotifications']

/** The signed-in person's notice acceptance, consents and pending account closure. */
export async function loadPrivacyStatus(): Promise<PrivacyStatus> {
  return must(await api.GET('/v1/me/privacy'))
}
