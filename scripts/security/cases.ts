/**
 * What each operation of openapi/commons.json answers to callers with no relation to the data it touches:
 * `anonymous` (no token) and `stranger` (signed in, a member of an organization of their own only). The
 * suite fails for an operation without a case here, so a new route states its security when it lands.
 *
 * Three more callers, `removedAdmin`, `member` (a plain member of the victim's organization) and `moderator`
 * (of no organization), are held to the stranger's expectation unless the case says otherwise.
 *
 * - `public`: anyone may call it; any answer but a 5xx (public data, or a 4xx for what is not there).
 * - `auth`: 401 `unauthenticated`, never anything else.
 * - `denied`: 403 or 404: the caller may not see or touch the victim's object (a 404 hides that it exists).
 * - `own`: the caller's own data (their profile, their history): 2xx allowed, it is theirs.
 * - `refused`: a 4xx of any kind (e.g. a login with a wrong password, a forged webhook), never 2xx or 5xx.
 * - a number: exactly that status (the answer is known precisely, e.g. 404 for an object that is not there).
 *
 * `target` names the victim object whose id fills the path's `{id}` (see world.ts); `body` is a valid body
 * for writes, so the answer is the authorization's, not the validation's.
 */
export type Expect = 'public' | 'auth' | 'denied' | 'own' | 'refused' | Precise

/** An exact status, where the answer is known to the status (not only its class). */
export type Precise = 200 | 201 | 202 | 204 | 400 | 401 | 403 | 404 | 409 | 412 | 422

export type Target =
  | 'organization'
  | 'listing'
  | 'booking'
  | 'need'
  | 'rating'
  | 'member'
  | 'user'
  | 'invitation'
  | 'nothing'

export interface Case {
  anonymous: Expect
  stranger: Expect
  /**
   * An admin of the victim's organization who was removed and still holds an access token from before:
   * as a stranger (the default), since every service authorizes from current state, not the token.
   */
  removedAdmin?: Expect
  /**
   * A plain member of the victim's organization (no admin rights): as a stranger unless said, since every
   * write and every private read of an organization is its admins' (members see their own bookings).
   */
  member?: Expect
  /**
   * A moderator of no organization: as a stranger unless said. Moderators review, hide and override; they
   * do not act as an organization's admin.
   */
  moderator?: Expect
  /** Problem codes of 5xx answers that are this deployment's, not a fault (e.g. no Stripe configured). */
  allow?: string[]
  target?: Target
  body?: unknown
  query?: string
}

/** Every caller each operation is sent as, in this order (the moderator last: their actions may succeed). */
export const ROLES = ['anonymous', 'stranger', 'removedAdmin', 'member', 'moderator'] as const
export type Role = (typeof ROLES)[number]

/** What a case expects of a role (the removed admin, member and moderator default to the stranger's). */
export function expectationOf(c: Case, role: Role): Expect {
  if (role === 'anonymous' || role === 'stranger') return c[role]
  return c[role] ?? c.stranger
}

const reason = { reason: '安全测试 security probe' }
const transition = {}

export const CASES: Record<string, Case> = {
  // listings: accounts
  register: { anonymous: 'public', stranger: 'public' },
  login: {
    anonymous: 'refused',
    stranger: 'refused',
    body: { email: 'victim@example.org', password: 'wrong password 1' },
  },
  // Logging out a refresh token that is not (or no longer) valid is a no-op: 204, and nothing to learn.
  logout: { anonymous: 'public', stranger: 'public', body: { refreshToken: 'x'.repeat(40) } },
  refreshSession: { anonymous: 'refused', stranger: 'refused', body: { refreshToken: 'x'.repeat(40) } },
  getMe: { anonymous: 'auth', stranger: 'own' },
  // Email verification: a forged link is 400 for everyone; a resend answers 202 for any email (here a
  // verified account's, which gets nothing), so it tells nobody which emails have accounts.
  verifyEmail: { anonymous: 400, stranger: 400, body: { token: 'x'.repeat(43) } },
  resendVerification: { anonymous: 202, stranger: 202, body: { email: 'victim@example.org' } },

  // listings: organizations and members
  createOrganization: {
    anonymous: 'auth',
    stranger: 'own',
    body: { name: '安全测试组织', kind: 'other', district: '浦东新区', city: '上海' },
  },
  getOrganization: { anonymous: 'public', stranger: 'public', target: 'organization' },
  updateOrganization: { anonymous: 'auth', stranger: 'denied', target: 'organization', body: { name: '被篡改的名字' } },
  createListing: { anonymous: 'auth', stranger: 'denied', target: 'organization', body: 'listing' },
  listOrganizationListings: { anonymous: 'public', stranger: 'public', target: 'organization' },
  listMembers: { member: 200, moderator: 200, anonymous: 'auth', stranger: 'denied', target: 'organization' },
  // Invitations (issue 13): only the organization's admins invite, list and revoke (403 to everyone else, the
  // removed admin included); only the invited email answers, and the world's invitation is to an email
  // without an account, so every caller gets the 404 an unknown id gets.
  inviteMember: { anonymous: 401, stranger: 403, target: 'organization', body: { email: 'stranger@example.org' } },
  listInvitations: { anonymous: 401, stranger: 403, target: 'organization' },
  revokeInvitation: { anonymous: 401, stranger: 403, target: 'organization' },
  listMyInvitations: { anonymous: 401, stranger: 200 },
  acceptInvitation: { anonymous: 401, stranger: 404, target: 'invitation' },
  declineInvitation: { anonymous: 401, stranger: 404, target: 'invitation' },
  changeMemberRole: { anonymous: 'auth', stranger: 'denied', target: 'member', body: { role: 'owner' } },
  removeMember: { anonymous: 'auth', stranger: 'denied', target: 'member' },

  // listings: listings, needs, moderation
  getListing: { anonymous: 'public', stranger: 'public', target: 'listing' },
  updateListing: { anonymous: 'auth', stranger: 'denied', target: 'listing', body: { title: '被篡改的标题' } },
  archiveListing: { anonymous: 'auth', stranger: 'denied', target: 'listing', body: transition },
  pauseListing: { anonymous: 'auth', stranger: 'denied', target: 'listing', body: transition },
  resumeListing: { anonymous: 'auth', stranger: 'denied', target: 'listing', body: transition },
  submitListing: { anonymous: 'auth', stranger: 'denied', target: 'listing', body: transition },
  createNeed: { member: 201, anonymous: 'auth', stranger: 'denied', target: 'nothing', body: 'need' },
  listNeeds: { anonymous: 'public', stranger: 'public' },
  getNeed: { anonymous: 'public', stranger: 'public', target: 'need' },
  updateNeed: { member: 412, anonymous: 'auth', stranger: 'denied', target: 'need', body: { title: '被篡改的需求' } },
  closeNeed: { member: 200, anonymous: 'auth', stranger: 'denied', target: 'need', body: transition },
  listAuditLog: { moderator: 200, anonymous: 'auth', stranger: 'denied' },
  listModerationQueue: { moderator: 200, anonymous: 'auth', stranger: 'denied' },
  approveListing: { moderator: 409, anonymous: 'auth', stranger: 'denied', target: 'listing', body: transition },
  rejectListing: {
    moderator: 409,
    anonymous: 'auth',
    stranger: 'denied',
    target: 'listing',
    body: { reason: '安全测试' },
  },
  verifyOrganization: {
    moderator: 200,
    anonymous: 'auth',
    stranger: 'denied',
    target: 'organization',
    body: transition,
  },

  // discovery
  searchListings: { anonymous: 'public', stranger: 'public', query: 'q=%E4%BC%9A%E8%AE%AE' },
  suggest: { anonymous: 'public', stranger: 'public', query: 'q=%E4%BC%9A' },
  // issue 18: activities in discovery
  searchActivities: { anonymous: 'public', stranger: 'public', query: 'q=%E8%AE%B2%E5%BA%A7&thisWeek=true' },
  matchNeedsToListing: { anonymous: 'public', stranger: 'public', target: 'listing' },
  matchListingsToNeed: { anonymous: 'public', stranger: 'public', target: 'need' },
  getRecommendations: { anonymous: 'auth', stranger: 'own' },
  updateRecommendationSettings: { anonymous: 'auth', stranger: 'own', body: { personalised: true } },
  recordView: { anonymous: 'auth', stranger: 'own', body: 'view' },
  getInterestHistory: { anonymous: 'auth', stranger: 'own' },
  clearInterestHistory: { anonymous: 'auth', stranger: 'own' },
  getIndexStatus: { moderator: 200, anonymous: 'auth', stranger: 'denied' },
  reindex: { moderator: 202, anonymous: 'auth', stranger: 'denied', body: transition },

  // bookings
  getAvailability: { anonymous: 'public', stranger: 'public', target: 'listing', query: 'window' },
  createBooking: { anonymous: 'auth', stranger: 'denied', body: 'booking' },
  listBookings: { member: 200, moderator: 200, anonymous: 'auth', stranger: 'denied', query: 'victimBookings' },
  getBooking: { member: 200, moderator: 200, anonymous: 'auth', stranger: 'denied', target: 'booking' },
  acceptBooking: { moderator: 409, anonymous: 'auth', stranger: 'denied', target: 'booking', body: transition },
  declineBooking: { moderator: 409, anonymous: 'auth', stranger: 'denied', target: 'booking', body: transition },
  cancelBooking: { moderator: 409, anonymous: 'auth', stranger: 'denied', target: 'booking', body: transition },
  completeBooking: { moderator: 409, anonymous: 'auth', stranger: 'denied', target: 'booking', body: transition },
  reportNoShow: { moderator: 200, anonymous: 'auth', stranger: 'denied', target: 'booking', body: transition },
  reportBookingDamage: {
    moderator: 409,
    anonymous: 'auth',
    stranger: 'denied',
    target: 'booking',
    body: { amount: 100, reason: '安全测试' },
  },
  getBookingHistory: { member: 200, moderator: 200, anonymous: 'auth', stranger: 'denied', target: 'booking' },
  recordBookingPayment: {
    moderator: 409,
    anonymous: 'auth',
    stranger: 'denied',
    target: 'booking',
    body: { method: 'cash', reference: '安全测试' },
  },
  getPaymentSession: { anonymous: 'auth', stranger: 'denied', target: 'booking' },
  rateBooking: { anonymous: 'auth', stranger: 'denied', target: 'booking', body: { score: 1 } },
  getBookingRatings: { member: 200, moderator: 200, anonymous: 'auth', stranger: 'denied', target: 'booking' },
  previewBookingRefund: { moderator: 200, anonymous: 'auth', stranger: 'denied', target: 'booking' },
  // Unsigned: 400 invalid_signature where Stripe is configured, 503 stripe_not_configured where it is not.
  receiveStripeWebhook: {
    anonymous: 'refused',
    stranger: 'refused',
    body: { id: 'evt_forged', type: 'x' },
    allow: ['stripe_not_configured'],
  },

  // bookings: calendars, ledger, ratings, reputation, time credits
  getListingCalendar: { anonymous: 'public', stranger: 'public', target: 'listing' },
  getOrganizationCalendar: { anonymous: 'refused', stranger: 'refused', target: 'organization' },
  issueOrganizationCalendarToken: { anonymous: 'auth', stranger: 'denied', target: 'organization', body: transition },
  getLedger: { anonymous: 'public', stranger: 'public' },
  getListingLedger: { anonymous: 'public', stranger: 'public', target: 'listing' },
  getOrganizationLedger: { anonymous: 'public', stranger: 'public', target: 'organization' },
  listRatings: { anonymous: 'public', stranger: 'public', query: 'organization' },
  updateRating: { anonymous: 'auth', stranger: 'denied', target: 'rating', body: { score: 1 } },
  hideRating: { moderator: 200, anonymous: 'auth', stranger: 'denied', target: 'rating', body: reason },
  unhideRating: { moderator: 200, anonymous: 'auth', stranger: 'denied', target: 'rating', body: reason },
  replyToRating: { anonymous: 'auth', stranger: 'denied', target: 'rating', body: { body: '安全测试' } },
  // Anyone signed in may report a published rating to the moderators (once each).
  reportRating: { anonymous: 'auth', stranger: 'own', target: 'rating', body: reason },
  listRatingAudit: { moderator: 200, anonymous: 'auth', stranger: 'denied' },
  listHiddenRatings: { moderator: 200, anonymous: 'auth', stranger: 'denied' },
  listRatingReports: { moderator: 200, anonymous: 'auth', stranger: 'denied' },
  getListingReputation: { anonymous: 'public', stranger: 'public', target: 'listing' },
  getMemberReputation: { anonymous: 'public', stranger: 'public', target: 'user' },
  getOrganizationReputation: { anonymous: 'public', stranger: 'public', target: 'organization' },
  getMemberTimeCredits: { moderator: 200, anonymous: 'auth', stranger: 'denied', target: 'user' },
  getOrganizationTimeCredits: { anonymous: 'public', stranger: 'public', target: 'organization' },
  // listings: contacts, phone sign-in, hierarchy, quotas, photos. Writes are 'refused' for anonymous callers
  // (a body the route refuses may be judged before the missing token), never 2xx or 5xx.
  requestPhoneCode: { anonymous: 'refused', stranger: 'refused' },
  phoneLogin: { anonymous: 'refused', stranger: 'refused', body: { phone: '13800009999', code: '000000' } },
  attachPhone: { anonymous: 'refused', stranger: 'own' },
  getOrganizationContacts: { member: 200, anonymous: 'auth', stranger: 'denied', target: 'organization' },
  putOrganizationContacts: {
    anonymous: 'refused',
    stranger: 'denied',
    target: 'organization',
    body: { contactPerson: '冒名联系人', mobile: '13800009999' },
  },
  getListingPrivateDetails: { member: 200, anonymous: 'auth', stranger: 'denied', target: 'listing' },
  putListingPrivateDetails: {
    anonymous: 'refused',
    stranger: 'denied',
    target: 'listing',
    body: { arrivalNotes: '冒名须知', paymentTerms: '冒名付款' },
  },
  getOrganizationHierarchy: { anonymous: 'public', stranger: 'public', target: 'organization' },
  requestParentOrganization: { anonymous: 'refused', stranger: 'refused', target: 'organization' },
  leaveParentOrganization: { anonymous: 'auth', stranger: 'denied', target: 'organization' },
  confirmChildOrganization: { anonymous: 'refused', stranger: 'refused', target: 'organization' },
  removeChildOrganization: { anonymous: 'refused', stranger: 'refused', target: 'organization' },
  getOrganizationQuotas: { anonymous: 'public', stranger: 'public', target: 'organization' },
  setOrganizationQuotas: { anonymous: 'refused', stranger: 'refused', target: 'organization' },
  uploadPhoto: { anonymous: 'refused', stranger: 'refused', target: 'organization' },
  getPhoto: { anonymous: 'public', stranger: 'public', target: 'nothing' },
  dismissRatingReports: { moderator: 200, anonymous: 'refused', stranger: 'refused', target: 'rating', body: reason },

  // messaging: only the parties see a conversation; everyone else gets 404. The world holds no
  // conversation, so an id that names none is 404 to every signed-in caller, as a stranger's would be.
  // Statuses here are exact: a change in what these routes answer is a change to review.
  openConversation: { anonymous: 401, stranger: 404, body: 'conversation' },
  listConversations: { anonymous: 401, stranger: 200 },
  getConversation: { anonymous: 401, stranger: 404, target: 'nothing' },
  listMessages: { anonymous: 401, stranger: 404, target: 'nothing' },
  postMessage: { anonymous: 401, stranger: 404, target: 'nothing', body: { text: '冒名消息' } },
  markConversationRead: { anonymous: 401, stranger: 404, target: 'nothing' },
  reportConversation: { anonymous: 401, stranger: 404, target: 'nothing', body: reason },
  listReportedConversations: { anonymous: 401, stranger: 403, moderator: 200 },
  listNotifications: { anonymous: 401, stranger: 200 },
  countUnreadNotifications: { anonymous: 401, stranger: 200 },
  markNotificationsRead: { anonymous: 401, stranger: 200, body: { all: true } },
  getNotificationPreferences: { anonymous: 401, stranger: 200 },
  updateNotificationPreferences: { anonymous: 401, stranger: 200 },
  createStreamTicket: { anonymous: 401, stranger: 201 },
  // With a forged ticket the stream is refused at once (a valid one would stay open).
  streamNotifications: { anonymous: 401, stranger: 401, query: 'forgedTicket' },
  // The signed token in the query is the credential; without one the request is malformed.
  unsubscribeEmail: { anonymous: 400, stranger: 400 },

  // community: activities, sign-ups, evaluations, surveys, overview. The world holds no activity, evaluation
  // or survey of the victim, so ids name none (404, the answer a stranger also gets for a draft). Every write
  // carries a complete, valid body, so the status recorded is the authorization's, not the validation's.
  createActivity: { anonymous: 401, stranger: 403, body: 'activity' },
  listActivities: { anonymous: 200, stranger: 200 },
  getActivity: { anonymous: 404, stranger: 404, target: 'nothing' },
  getActivityLedger: { anonymous: 200, stranger: 200 },
  updateActivity: { anonymous: 401, stranger: 404, target: 'nothing', body: { title: '被篡改的活动' } },
  publishActivity: { anonymous: 401, stranger: 404, target: 'nothing' },
  cancelActivity: { anonymous: 401, stranger: 404, target: 'nothing', body: reason },
  signUpForActivity: {
    anonymous: 401,
    stranger: 404,
    target: 'nothing',
    body: { role: 'attendee', displayName: '冒名者' },
  },
  listActivityRegistrations: { anonymous: 401, stranger: 404, target: 'nothing' },
  getMyRegistration: { anonymous: 401, stranger: 404, target: 'nothing' },
  // The caller's own sign-ups (我的活动).
  listMyActivities: { anonymous: 401, stranger: 200 },
  cancelMyRegistration: { anonymous: 401, stranger: 404, target: 'nothing' },
  checkInToActivity: { anonymous: 401, stranger: 404, target: 'nothing', body: { code: '123456' } },
  submitEvaluation: {
    anonymous: 401,
    stranger: 404,
    body: { activityId: '0190f5a4-0000-7000-8000-000000000000', direction: 'attendee_to_host', score: 3 },
  },
  listEvaluations: { anonymous: 200, stranger: 200 },
  // Only moderators hide (403 to everyone else); to a moderator the id names no evaluation.
  hideEvaluation: { anonymous: 401, stranger: 403, moderator: 404, target: 'nothing', body: reason },
  replyToEvaluation: { anonymous: 401, stranger: 404, target: 'nothing', body: { reply: '冒名回复' } },
  reportEvaluation: { anonymous: 401, stranger: 404, target: 'nothing', body: reason },
  getMemberScorecard: { anonymous: 200, stranger: 200, target: 'user' },
  getOrganizationScorecard: { anonymous: 200, stranger: 200, target: 'organization' },
  getEvaluationWatchlist: { anonymous: 401, stranger: 403, moderator: 200 },
  // issue 18: moderators' queue of reported evaluations and its dismissal.
  listEvaluationReports: { anonymous: 401, stranger: 403, moderator: 200 },
  dismissEvaluationReport: { anonymous: 401, stranger: 403, moderator: 404, target: 'nothing', body: reason },
  createSurvey: { anonymous: 401, stranger: 403, body: 'survey' },
  // An organization's surveys, drafts included: its members and moderators.
  listSurveys: { anonymous: 401, stranger: 403, member: 200, moderator: 200, query: 'organization' },
  getSurvey: { anonymous: 404, stranger: 404, target: 'nothing' },
  publishSurvey: { anonymous: 401, stranger: 404, target: 'nothing', body: { closesAt: '2027-01-10T06:00:00Z' } },
  // Anyone may answer a published survey (anonymous ones included): an id naming none is 404 to all.
  submitSurveyResponse: { anonymous: 404, stranger: 404, target: 'nothing', body: { answers: { wants: 'talk' } } },
  getSurveyResults: { anonymous: 404, stranger: 404, target: 'nothing' },
  moderateSurveyText: { anonymous: 401, stranger: 404, target: 'nothing', body: { status: 'approved' } },
  raiseSurveyNeed: { anonymous: 401, stranger: 404, target: 'nothing', body: 'surveyNeed' },
  listSurveyNeeds: { anonymous: 404, stranger: 404, target: 'nothing' },
  // survey result -> activity draft: a valid body, so the answer is the authorization's (401, or 404 for a
  // survey the stranger cannot see).
  draftSurveyActivity: {
    anonymous: 401,
    stranger: 404,
    target: 'nothing',
    body: {
      questionId: 'wants',
      optionId: 'phone',
      activity: {
        title: '安全测试活动',
        category: 'training',
        targetGroups: ['elderly'],
        start: '2027-01-10T06:00:00Z',
        end: '2027-01-10T08:00:00Z',
        signUpDeadline: '2027-01-09T06:00:00Z',
        place: { kind: 'address', district: '浦东新区', address: '测试路 1 号' },
        capacity: 10,
      },
    },
  },
  // 404 to anyone but the organization's admins and moderators, so it does not tell who has an overview.
  getOrganizationOverview: { anonymous: 404, stranger: 404, moderator: 200, target: 'organization' },

  // personal information (issue 20)
  getPrivacyNotice: { anonymous: 'public', stranger: 'public' },
  getPrivacyStatus: { anonymous: 'auth', stranger: 'own' },
  acceptPrivacyNotice: { anonymous: 'auth', stranger: 'own', body: { version: '2026-11-30' } },
  updateConsents: { anonymous: 'auth', stranger: 'own', body: { emailNotifications: false } },
  // The stranger's own account, with a wrong password: the re-authentication refuses it.
  requestAccountDeletion: { anonymous: 'auth', stranger: 'refused', body: { password: 'wrong password 1' } },
  cancelAccountDeletion: { anonymous: 'auth', stranger: 'refused' },
  requestDataExport: { anonymous: 'auth', stranger: 'own' },
  getDataExport: { anonymous: 'auth', stranger: 'denied', target: 'nothing' },
  // The signed link is the credential: a forged one is refused whoever presents it.
  downloadDataExport: {
    anonymous: 'refused',
    stranger: 'refused',
    target: 'nothing',
    query: 'expires=4102444800&sig=forged-signature',
  },
}
