/**
 * Every problem code a service answers with, and its one HTTP status. The `code` of a problem body is the
 * stable key clients branch on (and the web UI's messages will key on); its status never depends on which
 * route or service raised it. service-kit's error factories look the status up here, and a test scans every
 * service's source for a code this table does not hold or a status that differs from it.
 */
export const PROBLEM_CODES = {
  // 400: the request is malformed
  bad_request: 400,
  validation_failed: 400,
  invalid_json: 400,
  invalid_cursor: 400,
  invalid_if_match: 400,
  invalid_signature: 400,
  invalid_text: 400,
  json_too_deep: 400,
  malformed_url: 400,
  path_not_allowed: 400,
  // messaging
  invalid_unsubscribe_token: 400,

  challenge_failed: 400,
  // Issue 13: email verification
  invalid_verification_link: 400,

  // 401: no credentials, or they are no good
  unauthenticated: 401,
  invalid_token: 401,
  token_expired: 401,
  token_revoked: 401,
  invalid_service_token: 401,
  invalid_credentials: 401,
  invalid_refresh_token: 401,
  refresh_token_reused: 401,
  unknown_key: 401,
  invalid_code: 401,
  phone_not_registered: 401,

  // messaging
  invalid_stream_ticket: 401,

  // 403: the caller is known but may not do this
  forbidden: 403,
  not_a_member: 403,
  not_a_party: 403,
  not_rated_side: 403,
  self_rating: 403,
  own_organization: 403,
  // Issue 13: booking or rating within one's own organization.
  self_booking: 403,
  // Issue 13: signing in before the email is verified.
  email_unverified: 403,

  // 404: no such object, route or page
  not_found: 404,
  route_not_found: 404,
  booking_not_found: 404,
  calendar_not_found: 404,
  listing_not_found: 404,
  member_not_found: 404,
  need_not_found: 404,
  organization_not_found: 404,
  rating_not_found: 404,
  user_not_found: 404,
  job_not_found: 404,
  photo_not_found: 404,

  // messaging
  conversation_not_found: 404,

  // organization hierarchy, quotas, surveys
  parent_link_not_found: 404,
  survey_not_found: 404,
  survey_text_not_found: 404,

  // invitations: unknown, or addressed to another email (the same answer, so ids reveal nothing)
  invitation_not_found: 404,

  // 409: the object's state does not allow this
  invalid_transition: 409,
  slot_unavailable: 409,
  listing_unavailable: 409,
  email_taken: 409,
  already_member: 409,
  last_owner: 409,
  already_verified: 409,
  reindex_in_progress: 409,
  payment_not_due: 409,
  payment_not_offline: 409,
  payment_not_online: 409,
  payment_not_pending: 409,
  no_deposit_held: 409,
  damage_window_closed: 409,
  booking_not_completed: 409,
  rating_window_closed: 409,
  already_rated: 409,
  rating_published: 409,
  already_replied: 409,
  already_hidden: 409,
  not_hidden: 409,
  no_open_reports: 409,
  job_not_dead: 409,
  // Issue 13: a member's or an organization's outstanding bookings reached their cap.
  booking_limit_reached: 409,
  time_credits_exhausted: 409,
  phone_taken: 409,

  // messaging
  already_reported: 409,

  // organization hierarchy, quotas, surveys
  hierarchy_cycle: 409,
  quota_exceeded: 409,
  survey_closed: 409,
  already_answered: 409,

  // invitations: accepted, declined, revoked or expired already
  invitation_closed: 409,

  // personal information: closing an account, exports
  sole_owner: 409,
  deletion_not_requested: 409,
  notice_outdated: 409,
  export_not_found: 404,
  export_link_invalid: 403,

  // 412, 413, 415, 428, 429: HTTP preconditions and limits
  version_mismatch: 412,
  payload_too_large: 413,
  photo_too_large: 413,
  unsupported_media_type: 415,
  photo_type_unsupported: 415,
  if_match_required: 428,
  rate_limited: 429,
  login_throttled: 429,

  // 422: well-formed, but cannot be done as asked
  capacity_exceeded: 422,
  outside_availability: 422,
  idempotency_key_reused: 422,
  amount_exceeds_deposit: 422,
  unknown_dimension: 422,
  photo_unreadable: 422,

  // community: activities, sign-ups, check-in, evaluations
  activity_not_found: 404,
  registration_not_found: 404,
  evaluation_not_found: 404,
  sign_up_closed: 409,
  already_signed_up: 409,
  cancellation_closed: 409,
  activity_not_over: 409,
  evaluation_window_closed: 409,
  already_evaluated: 409,
  not_a_participant: 403,
  place_unavailable: 422,
  check_in_code_unknown: 422,

  // places: a district not in the gazetteer, or a venue with neither a known district nor a pin
  place_unknown: 422,

  // 5xx: something on our side or behind us
  internal_error: 500,
  payment_provider_error: 502,
  service_unavailable: 503,
  database_unavailable: 503,
  shutting_down: 503,
  not_ready: 503,
  search_unavailable: 503,
  auth_unavailable: 503,
  stripe_not_configured: 503,
  sms_unavailable: 503,
  upstream_timeout: 504,
} as const satisfies Record<string, number>

/** A code of the problem catalogue. */
export type ProblemCode = keyof typeof PROBLEM_CODES

/** The codes whose status is `S`: what a factory for that status may raise. */
export type ProblemCodeWithStatus<S extends number> = {
  [C in ProblemCode]: (typeof PROBLEM_CODES)[C] extends S ? C : never
}[ProblemCode]

/** The subjects `notFound(what)` may name: the `<what>` of every `<what>_not_found` code. */
export type NotFoundSubject =
  ProblemCodeWithStatus<404> extends infer C ? (C extends `${infer W}_not_found` ? W : never) : never

/** Whether `code` is in the catalogue. */
export function isProblemCode(code: string): code is ProblemCode {
  return Object.hasOwn(PROBLEM_CODES, code)
}
