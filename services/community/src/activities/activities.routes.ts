import {
  Activity,
  ActivityPage,
  CancelActivityBody,
  CreateActivityBody,
  IdParams,
  ListActivitiesQuery,
  UpdateActivityBody,
} from '@commons/contracts'
import { type App, ifMatchVersion, requireActor, setVersionTag } from '@commons/service-kit'
import type { CommunityDeps } from '../deps.ts'
import {
  cancelActivity,
  createActivity,
  getActivity,
  listActivities,
  publishActivity,
  updateActivity,
} from './activities.service.ts'

const security = [{ bearerAuth: [] }]
const tags = ['activities']

/** Activities: create, read, list, edit (If-Match), publish, cancel. */
export function registerActivityRoutes(app: App, deps: CommunityDeps) {
  app.post(
    '/v1/activities',
    {
      schema: { operationId: 'createActivity', tags, security, body: CreateActivityBody, response: { 201: Activity } },
    },
    async (request, reply) => {
      const activity = await createActivity(deps, requireActor(request), request.body)
      setVersionTag(reply, activity.version)
      return reply.code(201).send(activity)
    },
  )
  app.get(
    '/v1/activities',
    {
      schema: {
        operationId: 'listActivities',
        tags,
        querystring: ListActivitiesQuery,
        response: { 200: ActivityPage },
      },
    },
    async (request) => listActivities(deps, request.actor, request.query),
  )
  app.get(
    '/v1/activities/:id',
    { schema: { operationId: 'getActivity', tags, params: IdParams, response: { 200: Activity } } },
    async (request, reply) => {
      const activity = await getActivity(deps, request.actor, request.params.id)
      setVersionTag(reply, activity.version)
      return activity
    },
  )
  app.patch(
    '/v1/activities/:id',
    {
      schema: {
        operationId: 'updateActivity',
        tags,
        security,
        params: IdParams,
        body: UpdateActivityBody,
        response: { 200: Activity },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request)
      const version = ifMatchVersion(request, { required: true })
      const activity = await updateActivity(deps, actor, request.params.id, version, request.body)
      setVersionTag(reply, activity.version)
      return activity
    },
  )
  app.post(
    '/v1/activities/:id/publish',
    { schema: { operationId: 'publishActivity', tags, security, params: IdParams, response: { 200: Activity } } },
    async (request) => publishActivity(deps, requireActor(request), request.params.id),
  )
  app.post(
    '/v1/activities/:id/cancel',
    {
      schema: {
        operationId: 'cancelActivity',
        tags,
        security,
        params: IdParams,
        body: CancelActivityBody,
        response: { 200: Activity },
      },
    },
    async (request) => cancelActivity(deps, requireActor(request), request.params.id, request.body.reason),
  )
}
