import type { Actor } from '@commons/contracts'
import { CreateNeedBody, ListingFields } from '@commons/contracts'
import {
  type AuthDeps,
  acceptInvitation,
  type Clock,
  createListing,
  createNeed,
  createOrganization,
  findUserByEmail,
  inviteMember,
  type ListingsDB,
  markEmailVerified,
  type PhotoStorage,
  putContacts,
  putPrivateDetails,
  register,
  setModerator,
  systemClock,
  TokenKeys,
  transitionListing,
  updateOrganization,
  uploadPhoto,
  verifyOrganization,
} from '@commons/listings'
import type { Kysely } from 'kysely'
import { DEMO_ORGANIZATIONS } from './catalogue.ts'
import { demoNeeds } from './needs.ts'
import { demoPhoto } from './photos.ts'
import { TEMPLATES } from './templates.ts'

/** The demo accounts, also listed in the README. One password for all: it is demo data. */
export const DEMO_PASSWORD = 'gongxiang2026'
export const DEMO_ACCOUNTS = {
  moderator: { email: 'moderator@demo.commons.cn', displayName: '平台审核员 周敏', role: 'moderator' },
  provider: {
    email: 'provider@demo.commons.cn',
    displayName: '陆家嘴党群中心 王磊',
    role: 'admin of 陆家嘴街道党群服务中心 (provider)',
  },
  member: {
    email: 'member@demo.commons.cn',
    displayName: '日晖新村 李秀英',
    role: 'member of 斜土街道日晖新村居民委员会 (community group)',
  },
  organizer: {
    email: 'organizer@demo.commons.cn',
    displayName: '演示数据维护人',
    role: 'owner of every demo organization',
  },
} as const

/** Mobile numbers of the demo provider and member: they sign in with a code from the development log. */
export const DEMO_PHONES = { provider: '13800000001', member: '13800000002' } as const

/** What `loadDemoData` did. */
export interface DemoSummary {
  loaded: boolean
  organizations: number
  verified: number
  listings: { published: number; pendingReview: number; paused: number; draft: number }
  needs: number
}

const missing = (email: string): never => {
  throw new Error(`demo account ${email} was not created`)
}

const actorOf = (userId: string, moderator = false): Actor => ({ userId, roles: {}, moderator })

/**
 * Loads the Chinese demo marketplace through the service's own use cases (so every row, event and audit
 * entry is what the API would have written). Idempotent: when the demo moderator exists, it does nothing.
 * Not atomic: each use case commits on its own, so a load cut short is finished by deleting the data.
 */
export async function loadDemoData(
  db: Kysely<ListingsDB>,
  log: (line: string) => void = () => {},
  clock: Clock = systemClock,
  photoStorage?: PhotoStorage,
): Promise<DemoSummary> {
  const summary: DemoSummary = {
    loaded: false,
    organizations: 0,
    verified: 0,
    listings: { published: 0, pendingReview: 0, paused: 0, draft: 0 },
    needs: 0,
  }
  if (await findUserByEmail(db, DEMO_ACCOUNTS.moderator.email)) {
    log('demo data already loaded (the demo moderator exists)')
    return summary
  }
  const deps: AuthDeps = {
    db,
    keys: new TokenKeys(db),
    accessTokenTtlSeconds: 900,
    refreshTokenTtlDays: 30,
    clock,
  }
  const timed = { db, clock }
  // Needs' windows are relative to the load, so the demo board always shows upcoming dates.
  const now = clock.now()
  // Demo accounts sign up as anyone does, and their made-up addresses are marked verified here (no mail
  // could reach them), so they sign in at once.
  const account = async (a: { email: string; displayName: string }) => {
    const found = await findUserByEmail(db, a.email)
    if (found) return found
    await register(deps, { email: a.email, password: DEMO_PASSWORD, displayName: a.displayName })
    const user = (await findUserByEmail(db, a.email)) ?? missing(a.email)
    await markEmailVerified(db, user.id, clock.now())
    return user
  }

  // The moderator first: it marks the data as loaded and verifies organizations below.
  const mod = await account(DEMO_ACCOUNTS.moderator)
  await setModerator(timed, mod.email, true)
  const moderator = actorOf(mod.id, true)
  const organizer = actorOf((await account(DEMO_ACCOUNTS.organizer)).id)
  const provider = await account(DEMO_ACCOUNTS.provider)
  const member = await account(DEMO_ACCOUNTS.member)

  const orgIds = new Map<string, string>()
  const lujiazuiListings: string[] = []
  let index = 0
  for (const spec of DEMO_ORGANIZATIONS) {
    const { organization } = await createOrganization(deps, organizer, {
      name: spec.name,
      kind: spec.kind,
      district: spec.district,
      city: spec.city,
      description: spec.description,
    })
    orgIds.set(spec.key, organization.id)
    summary.organizations += 1
    // With a photo store, each organization gets a logo and each listing a cover, drawn on the spot.
    const photos = photoStorage ? { db, storage: photoStorage } : undefined
    if (photos) {
      const logo = await uploadPhoto(photos, organizer, organization.id, await demoPhoto('logo', index))
      await updateOrganization(timed, organizer, organization.id, { logo: logo.id })
    }
    if (spec.verified) {
      await verifyOrganization(timed, moderator, organization.id)
      summary.verified += 1
    }
    for (const key of spec.offers) {
      const template = TEMPLATES[key]
      if (!template) throw new Error(`demo: no listing template ${key}`)
      index += 1
      const fields = template(spec, index)
      if (photos) {
        const cover = await uploadPhoto(photos, organizer, organization.id, await demoPhoto(String(fields.kind), index))
        fields.photos = [{ id: cover.id, alt: '' }]
      }
      const listing = await createListing(db, organizer, organization.id, ListingFields.parse(fields))
      if (spec.key === 'lujiazui') lujiazuiListings.push(listing.id)
      // A few stay behind so every state has an example: one draft, one paused.
      if (index === 5) {
        summary.listings.draft += 1
        continue
      }
      const submitted = await transitionListing(timed, organizer, listing.id, 'submit')
      if (index === 9 && submitted.status === 'published') {
        await transitionListing(timed, organizer, listing.id, 'pause')
        summary.listings.paused += 1
      } else if (submitted.status === 'published') summary.listings.published += 1
      else summary.listings.pendingReview += 1
    }
  }

  const orgId = (key: string) => orgIds.get(key) ?? ''
  // Members join by accepting an invitation, as in the product: the demo invites and accepts at once.
  const join = async (key: string, user: { id: string; email: string }, role: 'admin' | 'member') => {
    const invitation = await inviteMember({ ...timed, invitationTtlDays: 14 }, organizer, orgId(key), {
      email: user.email,
      role,
    })
    await acceptInvitation(timed, actorOf(user.id), invitation.id)
  }
  await join('lujiazui', provider, 'admin')
  await join('rihui', member, 'member')
  // What the two demo sides see of each other on a confirmed booking, and the numbers that sign the demo
  // provider and member in with a texted code (the code appears in the `pnpm start` log).
  await putContacts(timed, organizer, orgId('lujiazui'), {
    contactPerson: '王磊',
    mobile: DEMO_PHONES.provider,
    wechatId: 'ljz_dangqun',
  })
  await putContacts(timed, organizer, orgId('rihui'), {
    contactPerson: '李秀英',
    mobile: DEMO_PHONES.member,
    wechatId: null,
  })
  for (const listingId of lujiazuiListings) {
    await putPrivateDetails(timed, organizer, listingId, {
      arrivalNotes: '从陆家嘴环路正门进，一楼服务台登记后由工作人员带到场地。',
      paymentTerms: '免费场地无需付款；收费项目请在活动当天到服务台扫码支付，可开具收据。',
    })
  }
  await db.updateTable('users').set({ phone: DEMO_PHONES.provider }).where('id', '=', provider.id).execute()
  await db.updateTable('users').set({ phone: DEMO_PHONES.member }).where('id', '=', member.id).execute()

  const posters = { member: actorOf(member.id), organizer }
  for (const { by, org, fields } of demoNeeds(now)) {
    await createNeed(db, posters[by], CreateNeedBody.parse({ organizationId: orgId(org), ...fields }))
    summary.needs += 1
  }
  summary.loaded = true
  const l = summary.listings
  log(
    `demo data loaded: ${summary.organizations} organizations (${summary.verified} verified), ` +
      `${l.published + l.pendingReview + l.paused + l.draft} listings (${l.published} published, ` +
      `${l.pendingReview} waiting for review, ${l.paused} paused, ${l.draft} draft), ${summary.needs} open needs`,
  )
  return summary
}
