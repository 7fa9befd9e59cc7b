import { type Kysely, sql } from 'kysely'

/**
 * Activities and their sign-ups. The lifecycle (draft -> published -> cancelled, draft -> cancelled;
 * cancelled is final) is a trigger, so no code path can skip it; one live sign-up per person and activity
 * and a unique check-in code per activity are indexes. Capacity is guarded by locking the activity row
 * while a sign-up counts the places (see registrations.service.ts).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table activities (
      id uuid primary key,
      organization_id uuid not null,
      title text not null,
      description text not null,
      category text not null,
      target_groups text[] not null,
      start_at timestamptz not null,
      end_at timestamptz not null,
      place_kind text not null check (place_kind in ('booking', 'venue', 'address')),
      place_ref uuid,
      place_listing_id uuid,
      place_title text,
      place_district text not null,
      place_address text,
      capacity integer not null check (capacity > 0),
      volunteer_places integer not null check (volunteer_places >= 0),
      volunteer_skills text[] not null default '{}',
      sign_up_deadline timestamptz not null,
      status text not null default 'draft' check (status in ('draft', 'published', 'cancelled')),
      cancel_reason text,
      -- Set by the end-of-activity job: no-shows recorded, volunteers' hours sent, evaluation window open.
      ended_at timestamptz,
      evaluations_published_at timestamptz,
      version integer not null default 1,
      created_by uuid not null,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      constraint activities_times check (end_at > start_at and sign_up_deadline <= start_at),
      constraint activities_place check ((place_kind = 'address') = (place_ref is null)),
      constraint activities_cancel_reason check ((status = 'cancelled') = (cancel_reason is not null))
    );
    create index activities_organization_idx on activities (organization_id, start_at);
    create index activities_published_idx on activities (start_at) where status = 'published';

    create function activities_lifecycle() returns trigger language plpgsql as $fn$
    begin
      if tg_op = 'INSERT' then
        if new.status <> 'draft' then
          raise exception 'an activity starts as a draft, not %', new.status
            using errcode = '23514', constraint = 'activities_lifecycle';
        end if;
        return new;
      end if;
      if old.status = 'cancelled' and (new.status <> 'cancelled' or new.version <> old.version) then
        raise exception 'a cancelled activity does not change'
          using errcode = '23514', constraint = 'activities_lifecycle';
      end if;
      if new.status <> old.status and not (
        (old.status = 'draft' and new.status in ('published', 'cancelled')) or
        (old.status = 'published' and new.status = 'cancelled')
      ) then
        raise exception 'an activity cannot go from % to %', old.status, new.status
          using errcode = '23514', constraint = 'activities_lifecycle';
      end if;
      return new;
    end
    $fn$;
    create trigger activities_lifecycle before insert or update on activities
      for each row execute function activities_lifecycle();

    create table registrations (
      id uuid primary key,
      -- Arrival order: the order sign-ups took the activity's lock, which is the waitlist's order.
      seq bigint generated always as identity,
      activity_id uuid not null references activities (id),
      user_id uuid not null,
      display_name text not null,
      role text not null check (role in ('attendee', 'volunteer')),
      party_member boolean not null default false,
      status text not null check (status in ('confirmed', 'waitlisted', 'cancelled')),
      code text not null check (code ~ '^[0-9]{6}$'),
      idempotency_key text,
      checked_in_at timestamptz,
      late boolean not null default false,
      no_show boolean not null default false,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      constraint registrations_check_in check (checked_in_at is null or status = 'confirmed')
    );
    create unique index registrations_one_per_person on registrations (activity_id, user_id)
      where status <> 'cancelled';
    create unique index registrations_code on registrations (activity_id, code) where status <> 'cancelled';
    create unique index registrations_idempotency on registrations (user_id, idempotency_key)
      where idempotency_key is not null;
    create index registrations_activity_idx on registrations (activity_id, role, status, seq);
    create index registrations_user_idx on registrations (user_id);
  `.execute(db)
}
