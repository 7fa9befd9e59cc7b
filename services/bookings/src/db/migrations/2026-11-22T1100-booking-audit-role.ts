import { type Kysely, sql } from 'kysely'

/**
 * The role each audited step was taken in. Recorded when the step happens: bookings keeps no membership
 * data, so the role a user acted in (a cancellation by the requesting group or by the provider) cannot be
 * worked out later from the user id.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table booking_audit add column actor_role text;

    -- Rows from before this migration: the role follows from the override flag, the missing actor and the
    -- action. Only the provider may take the provider-only actions; a cancellation by someone other than the
    -- booking's member is taken to be the provider's (another member of the group cancelling reads wrongly,
    -- since who acted for which side was not kept).
    update booking_audit a
    set actor_role = case
      when a.moderator_override then 'moderator'
      when a.actor_user_id is null then 'system'
      when a.action = 'create' or a.actor_user_id = b.requester_user_id then 'requester'
      else 'provider'
    end
    from bookings b
    where b.id = a.booking_id;

    alter table booking_audit
      alter column actor_role set not null,
      add constraint booking_audit_actor_role check (actor_role in ('requester', 'provider', 'moderator', 'system'));
  `.execute(db)
}
