import { type Kysely, sql } from 'kysely'

/**
 * Three-way evaluations (三向互评) of held activities. One evaluation per author, direction and subject (the
 * host organization speaks once per volunteer, whichever admin writes); published evaluations are
 * immutable but for one reply and a moderator's hide, and none is ever deleted (triggers). Reports,
 * moderators' actions and 整改中 flag changes are kept as audit rows.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table evaluations (
      id uuid primary key,
      activity_id uuid not null references activities (id),
      organization_id uuid not null,
      direction text not null check (direction in
        ('attendee_to_host', 'attendee_to_volunteer', 'host_to_volunteer', 'volunteer_to_host')),
      author_user_id uuid not null,
      author_key uuid not null,
      subject_user_id uuid,
      score smallint not null check (score between 1 and 5),
      dimensions jsonb not null default '{}',
      comment text,
      reply text,
      replied_at timestamptz,
      published_at timestamptz,
      hidden_at timestamptz,
      hidden_reason text,
      created_at timestamptz not null,
      constraint evaluations_subject check (
        (direction in ('attendee_to_volunteer', 'host_to_volunteer')) = (subject_user_id is not null)),
      constraint evaluations_once unique nulls not distinct (activity_id, direction, author_key, subject_user_id)
    );
    create index evaluations_organization_idx on evaluations (organization_id, direction) where published_at is not null;
    create index evaluations_subject_idx on evaluations (subject_user_id, direction) where published_at is not null;

    create function evaluations_immutable() returns trigger language plpgsql as $fn$
    begin
      if tg_op = 'DELETE' then
        raise exception 'evaluations are never deleted'
          using errcode = '23514', constraint = 'evaluations_immutable';
      end if;
      if old.published_at is not null and (
        new.score <> old.score or new.dimensions <> old.dimensions or new.comment is distinct from old.comment
        or new.published_at is distinct from old.published_at or new.direction <> old.direction
        or new.subject_user_id is distinct from old.subject_user_id or new.author_key <> old.author_key
        or (old.reply is not null and new.reply is distinct from old.reply)
        or (old.hidden_at is not null and new.hidden_at is distinct from old.hidden_at)
      ) then
        raise exception 'a published evaluation does not change'
          using errcode = '23514', constraint = 'evaluations_immutable';
      end if;
      return new;
    end
    $fn$;
    create trigger evaluations_immutable before update or delete on evaluations
      for each row execute function evaluations_immutable();

    create table evaluation_reports (
      id uuid primary key,
      evaluation_id uuid not null references evaluations (id),
      reporter_user_id uuid not null,
      reason text not null,
      created_at timestamptz not null,
      unique (evaluation_id, reporter_user_id)
    );

    create table evaluation_audit (
      id bigint generated always as identity primary key,
      evaluation_id uuid not null references evaluations (id),
      action text not null,
      actor_user_id uuid not null,
      reason text not null,
      at timestamptz not null
    );

    create table organization_flags (
      organization_id uuid primary key,
      rectifying boolean not null,
      since timestamptz,
      average90d double precision,
      count90d integer not null,
      updated_at timestamptz not null
    );
    create table flag_audit (
      id bigint generated always as identity primary key,
      organization_id uuid not null,
      rectifying boolean not null,
      average90d double precision,
      count90d integer not null,
      at timestamptz not null
    );

    create table scorecard_versions (
      subject text not null,
      id uuid not null,
      version integer not null,
      primary key (subject, id)
    );
  `.execute(db)
}
