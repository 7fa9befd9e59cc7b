import {
  AuditPage,
  CursorQuery,
  IdParams,
  Listing,
  ListingPage,
  ModerationListingsQuery,
  Organization,
  RejectListingBody,
} from '@commons/contracts'
import { type App, ifMatchVersion, requireActor, setVersionTag } from '@commons/service-kit'
import type { ListingsDeps } from '../deps.ts'
import { getAuditLog, listModerationQueue, reviewListing, verifyOrganization } from './moderation.service.ts'

const security = [{ bearerAuth: [] }]

/** Moderators: the review queue, approve and reject, verify organizations, the audit log. */
export function registerModerationRoutes(app: App, deps: ListingsDeps) {
  const { db } = deps
  const tags = ['moderation']

  app.get(
    '/v1/moderation/listings',
    {
      schema: {
        operationId: 'listModerationQueue',
        summary: 'Listings waiting for review (or in another state), oldest first',
        tags,
        security,
        querystring: ModerationListingsQuery,
        response: { 200: ListingPage },
      },
    },
    async (request) => listModerationQueue(db, requireActor(request), request.query),
  )
  app.post(
    '/v1/moderation/listings/:id/approve',
    {
      schema: {
        operationId: 'approveListing',
        summary: 'Publish a listing waiting for review (If-Match: the version reviewed; 412 when it changed)',
        tags,
        security,
        params: IdParams,
        response: { 200: Listing },
      },
    },
    async (request, reply) => {
      const listing = await reviewListing(
        deps,
        requireActor(request),
        request.params.id,
        { action: 'approve' },
        ifMatchVersion(request),
      )
      setVersionTag(reply, listing.version)
      return listing
    },
  )
  app.post(
    '/v1/moderation/listings/:id/reject',
    {
      schema: {
        operationId: 'rejectListing',
        summary: 'Send a listing waiting for review back to draft, with the reason (If-Match as for approve)',
        tags,
        security,
        params: IdParams,
        body: RejectListingBody,
        response: { 200: Listing },
      },
    },
    async (request, reply) => {
      const listing = await reviewListing(
        deps,
        requireActor(request),
        request.params.id,
        { action: 'reject', reason: request.body.reason },
        ifMatchVersion(request),
      )
      setVersionTag(reply, listing.version)
      return listing
    },
  )
  app.post(
    '/v1/moderation/organizations/:id/verify',
    {
      schema: {
        operationId: 'verifyOrganization',
        summary: 'Mark an organization verified (its listings then publish without review)',
        tags,
        security,
        params: IdParams,
        response: { 200: Organization },
      },
    },
    async (request, reply) => {
      const organization = await verifyOrganization(deps, requireActor(request), request.params.id)
      setVersionTag(reply, organization.version)
      return organization
    },
  )
  app.get(
    '/v1/moderation/audit',
    {
      schema: {
        operationId: 'listAuditLog',
        summary: 'Every moderation action, newest first',
        tags,
        security,
        querystring: CursorQuery,
        response: { 200: AuditPage },
      },
    },
    async (request) => getAuditLog(db, requireActor(request), request.query),
  )
}
