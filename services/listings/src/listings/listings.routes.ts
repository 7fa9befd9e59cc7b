import {
  CreateListingBody,
  IdParams,
  Listing,
  ListingPage,
  OrganizationListingsQuery,
  UpdateListingBody,
} from '@commons/contracts'
import { type App, ifMatchVersion, requireActor, setVersionTag } from '@commons/service-kit'
import type { ListingsDeps } from '../deps.ts'
import {
  createListing,
  getListing,
  listOrganizationListings,
  type OwnerAction,
  transitionListing,
  updateListing,
} from './listings.service.ts'

const security = [{ bearerAuth: [] }]
const ACTIONS: Record<OwnerAction, { operationId: string; summary: string }> = {
  submit: {
    operationId: 'submitListing',
    summary: 'Submit a draft for review (verified organizations publish at once)',
  },
  pause: { operationId: 'pauseListing', summary: 'Take a published listing off the market for a while' },
  resume: { operationId: 'resumeListing', summary: 'Publish a paused listing again' },
  archive: { operationId: 'archiveListing', summary: 'Retire a listing for good' },
}

/** Listings: create, read, update with If-Match, lifecycle actions, an organization's list. */
export function registerListingRoutes(app: App, deps: ListingsDeps) {
  const { db } = deps
  const tags = ['listings']

  app.post(
    '/v1/organizations/:id/listings',
    {
      schema: {
        operationId: 'createListing',
        summary: 'Create a draft listing (admins and owners of the organization)',
        tags,
        security,
        params: IdParams,
        body: CreateListingBody,
        response: { 201: Listing },
      },
    },
    async (request, reply) => {
      const listing = await createListing(db, requireActor(request), request.params.id, request.body)
      setVersionTag(reply, listing.version)
      return reply.code(201).send(listing)
    },
  )
  app.get(
    '/v1/organizations/:id/listings',
    {
      schema: {
        operationId: 'listOrganizationListings',
        summary: "An organization's listings (members see every state, others the published ones)",
        tags,
        params: IdParams,
        querystring: OrganizationListingsQuery,
        response: { 200: ListingPage },
      },
    },
    async (request) => listOrganizationListings(db, request.actor, request.params.id, request.query),
  )
  app.get(
    '/v1/listings/:id',
    {
      schema: {
        operationId: 'getListing',
        summary: 'A listing; ETag is its version',
        tags,
        params: IdParams,
        response: { 200: Listing },
      },
    },
    async (request, reply) => {
      const listing = await getListing(db, request.actor, request.params.id)
      setVersionTag(reply, listing.version)
      return listing
    },
  )
  app.patch(
    '/v1/listings/:id',
    {
      schema: {
        operationId: 'updateListing',
        summary: 'Change some fields of a listing (If-Match required)',
        tags,
        security,
        params: IdParams,
        body: UpdateListingBody,
        response: { 200: Listing },
      },
    },
    async (request, reply) => {
      const listing = await updateListing(
        deps,
        requireActor(request),
        request.params.id,
        request.body,
        ifMatchVersion(request, { required: true }),
      )
      setVersionTag(reply, listing.version)
      return listing
    },
  )
  for (const [action, doc] of Object.entries(ACTIONS) as Array<[OwnerAction, (typeof ACTIONS)[OwnerAction]]>) {
    app.post(
      `/v1/listings/:id/${action}`,
      { schema: { ...doc, tags, security, params: IdParams, response: { 200: Listing } } },
      async (request, reply) => {
        const listing = await transitionListing(
          deps,
          requireActor(request),
          request.params.id,
          action,
          ifMatchVersion(request),
        )
        setVersionTag(reply, listing.version)
        return listing
      },
    )
  }
}
