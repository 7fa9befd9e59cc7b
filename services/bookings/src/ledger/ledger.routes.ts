import { IdParams, Ledger, LedgerQuery } from '@commons/contracts'
import type { App } from '@commons/service-kit'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import type { BookingsDeps } from '../deps.ts'
import { type LedgerScope, ledgerCsv, usageLedger } from './ledger.service.ts'

const CSV = 'text/csv; charset=utf-8'
const LedgerCsv = z.string().describe('The same months as CSV: UTF-8 with a byte order mark, CRLF line ends')
const response = { 200: { content: { 'application/json': { schema: Ledger }, 'text/csv': { schema: LedgerCsv } } } }

/** CSV when asked by `?format=csv` or an Accept header that prefers text/csv to JSON. */
function wantsCsv(request: FastifyRequest, format: 'json' | 'csv' | undefined): boolean {
  if (format) return format === 'csv'
  const accept = request.headers.accept ?? ''
  return /\btext\/csv\b/i.test(accept) && !/\bapplication\/json\b/i.test(accept)
}

async function answer(
  deps: BookingsDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  scope: LedgerScope,
  query: { from?: string | undefined; to?: string | undefined; format?: 'json' | 'csv' | undefined },
) {
  const ledger = await usageLedger(deps, scope, query)
  reply.header('vary', 'accept')
  if (!wantsCsv(request, query.format)) return reply.type('application/json; charset=utf-8').send(ledger)
  const name = scope.kind === 'all' ? 'ledger' : `ledger-${scope.kind}-${scope.id}`
  return reply.type(CSV).header('content-disposition', `attachment; filename="${name}.csv"`).send(ledgerCsv(ledger))
}

/** The open usage ledger (资源使用公开透明): public, aggregate, JSON or CSV. */
export function registerLedgerRoutes(app: App, deps: BookingsDeps) {
  const tags = ['ledger']
  app.get(
    '/v1/ledger',
    { schema: { operationId: 'getLedger', tags, querystring: LedgerQuery, response } },
    async (request, reply) => answer(deps, request, reply, { kind: 'all', id: null }, request.query),
  )
  app.get(
    '/v1/ledger/organizations/:id',
    { schema: { operationId: 'getOrganizationLedger', tags, params: IdParams, querystring: LedgerQuery, response } },
    async (request, reply) =>
      answer(deps, request, reply, { kind: 'organization', id: request.params.id }, request.query),
  )
  app.get(
    '/v1/ledger/listings/:id',
    { schema: { operationId: 'getListingLedger', tags, params: IdParams, querystring: LedgerQuery, response } },
    async (request, reply) => answer(deps, request, reply, { kind: 'listing', id: request.params.id }, request.query),
  )
}
