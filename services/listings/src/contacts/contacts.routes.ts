import {
  IdParams,
  ListingPrivateDetails,
  OrganizationContacts,
  PutListingPrivateDetailsBody,
  PutOrganizationContactsBody,
} from '@commons/contracts'
import { type App, requireActor } from '@commons/service-kit'
import { z } from 'zod'
import type { ListingsDeps } from '../deps.ts'
import { getContacts, getPrivateDetails, putContacts, putPrivateDetails } from './contacts.service.ts'

const security = [{ bearerAuth: [] }]
const ContactsAnswer = z
  .object({ contacts: OrganizationContacts.nullable() })
  .meta({ id: 'OrganizationContactsAnswer' })
const DetailsAnswer = z.object({ details: ListingPrivateDetails }).meta({ id: 'ListingPrivateDetailsAnswer' })

/** Private contacts of organizations and arrival details of listings: shown on confirmed bookings only. */
export function registerContactRoutes(app: App, deps: ListingsDeps) {
  const { db } = deps
  app.get(
    '/v1/organizations/:id/contacts',
    {
      schema: {
        operationId: 'getOrganizationContacts',
        summary: "The organization's private contacts (its members)",
        tags: ['organizations'],
        security,
        params: IdParams,
        response: { 200: ContactsAnswer },
      },
    },
    async (request) => getContacts(db, requireActor(request), request.params.id),
  )
  app.put(
    '/v1/organizations/:id/contacts',
    {
      schema: {
        operationId: 'putOrganizationContacts',
        summary: 'Set the contact person, mobile and WeChat ID the other side of a confirmed booking sees',
        tags: ['organizations'],
        security,
        params: IdParams,
        body: PutOrganizationContactsBody,
        response: { 200: ContactsAnswer },
      },
    },
    async (request) => putContacts(deps, requireActor(request), request.params.id, request.body),
  )
  app.get(
    '/v1/listings/:id/private-details',
    {
      schema: {
        operationId: 'getListingPrivateDetails',
        summary: "The listing's arrival notes and payment terms (members of its organization)",
        tags: ['listings'],
        security,
        params: IdParams,
        response: { 200: DetailsAnswer },
      },
    },
    async (request) => getPrivateDetails(db, requireActor(request), request.params.id),
  )
  app.put(
    '/v1/listings/:id/private-details',
    {
      schema: {
        operationId: 'putListingPrivateDetails',
        summary: 'Set the arrival notes and payment terms bookers see once their booking is confirmed',
        tags: ['listings'],
        security,
        params: IdParams,
        body: PutListingPrivateDetailsBody,
        response: { 200: DetailsAnswer },
      },
    },
    async (request) => putPrivateDetails(deps, requireActor(request), request.params.id, request.body),
  )
}
