import {
  AcceptNoticeBody,
  DataExport,
  DownloadExportQuery,
  ExportArchive,
  IdParams,
  PrivacyNotice,
  PrivacyStatus,
  RequestDeletionBody,
  UpdateConsentsBody,
} from '@commons/contracts'
import { type App, requireActor } from '@commons/service-kit'
import { z } from 'zod'
import { acceptNotice, privacyStatus, updateConsents } from './consent.service.ts'
import { cancelDeletion, requestDeletion } from './deletion.service.ts'
import { downloadExport, getExport, requestExport } from './export.service.ts'
import { CURRENT_NOTICE } from './notice.ts'
import type { PrivacyDeps } from './privacy-deps.ts'

/** The privacy notice, consents, data exports and closing an account (issue 20, PIPL). */
export function registerPrivacyRoutes(app: App, deps: PrivacyDeps) {
  const tags = ['privacy']
  const security = [{ bearerAuth: [] }]

  app.get(
    '/v1/privacy/notice',
    {
      schema: {
        operationId: 'getPrivacyNotice',
        summary: 'The privacy notice and terms in force, in Chinese and English',
        tags,
        response: { 200: PrivacyNotice },
      },
    },
    async (_request, reply) => {
      reply.header('cache-control', 'public, max-age=300')
      return CURRENT_NOTICE
    },
  )
  app.get(
    '/v1/me/privacy',
    {
      schema: {
        operationId: 'getPrivacyStatus',
        summary: 'The notice version accepted, the optional consents and a pending account closure',
        tags,
        security,
        response: { 200: PrivacyStatus },
      },
    },
    async (request) => privacyStatus(deps.db, requireActor(request).userId),
  )
  app.post(
    '/v1/me/privacy/notice-acceptance',
    {
      schema: {
        operationId: 'acceptPrivacyNotice',
        summary: 'Accept the current privacy notice (asked again whenever its version changes)',
        tags,
        security,
        body: AcceptNoticeBody,
        response: { 200: PrivacyStatus },
      },
    },
    async (request) => acceptNotice(deps, requireActor(request).userId, request.body.version),
  )
  app.patch(
    '/v1/me/privacy/consents',
    {
      schema: {
        operationId: 'updateConsents',
        summary: 'Grant or withdraw the optional consents (personalised recommendations, email notifications)',
        tags,
        security,
        body: UpdateConsentsBody,
        response: { 200: PrivacyStatus },
      },
    },
    async (request) => updateConsents(deps, requireActor(request).userId, request.body),
  )
  app.post(
    '/v1/me/deletion',
    {
      config: { rateLimit: { max: 10, timeWindow: '1 minute' } },
      schema: {
        operationId: 'requestAccountDeletion',
        summary: 'Close the account after the cooling-off period (password asked again; cancellable until then)',
        tags,
        security,
        body: RequestDeletionBody,
        response: { 202: PrivacyStatus },
      },
    },
    async (request, reply) =>
      reply.code(202).send(await requestDeletion(deps, requireActor(request).userId, request.body)),
  )
  app.delete(
    '/v1/me/deletion',
    {
      schema: {
        operationId: 'cancelAccountDeletion',
        summary: 'Cancel a pending account closure during the cooling-off period',
        tags,
        security,
        response: { 200: PrivacyStatus },
      },
    },
    async (request) => cancelDeletion(deps, requireActor(request).userId),
  )
  app.post(
    '/v1/me/exports',
    {
      config: { rateLimit: { max: 5, timeWindow: '1 minute' } },
      schema: {
        operationId: 'requestDataExport',
        summary: 'Start assembling everything Commons holds about the signed-in person',
        tags,
        security,
        // No fields: a stray body is refused rather than ignored; none at all (or JSON null) is fine.
        body: z.strictObject({}).nullish(),
        response: { 202: DataExport },
      },
    },
    async (request, reply) => reply.code(202).send(await requestExport(deps, requireActor(request).userId)),
  )
  app.get(
    '/v1/me/exports/:id',
    {
      schema: {
        operationId: 'getDataExport',
        summary: 'An export: once ready, a signed download link that expires',
        tags,
        security,
        params: IdParams,
        response: { 200: DataExport },
      },
    },
    async (request) => getExport(deps, requireActor(request).userId, request.params.id),
  )
  app.get(
    '/v1/privacy/exports/:id/archive',
    {
      schema: {
        operationId: 'downloadDataExport',
        summary: 'The JSON archive behind a signed link (no sign-in: the link is the credential until it expires)',
        tags,
        params: IdParams,
        querystring: DownloadExportQuery,
        response: { 200: ExportArchive },
      },
    },
    async (request, reply) => {
      const archive = await downloadExport(deps, request.params.id, request.query.expires, request.query.sig)
      reply.header('cache-control', 'private, no-store')
      reply.header('content-disposition', `attachment; filename="commons-export-${request.params.id}.json"`)
      return archive
    },
  )
}
