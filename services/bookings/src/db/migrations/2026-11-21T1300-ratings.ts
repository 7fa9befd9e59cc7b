import { type Kysely, sql } from 'kysely'

/**
 * Ratings (double-blind, one per side, immutable once published), reports, replies and their audit;
 * reputation versions for `reputation.updated`; the volunteer time-credit ledger (double-entry, balanced).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- One row per completed booking: the rating window, and the timer that publishes at its close
    -- (taken with FOR UPDATE SKIP LOCKED, like the timers table).
    create table rating_windows (
      booking_id uuid primary key references bookings (id),
      completed_at timestamptz not null,
      closes_at timestamptz not null,
      published_at timestamptz,
      -- The booking left completed (a no-show reported after completion) before publication.
      voided_at timestamptz,
      check (closes_at > completed_at)
    );
    create index rating_windows_due on rating_windows (closes_at) where published_at is null and voided_at is null;

    create table ratings (
      id uuid primary key,
      booking_id uuid not null references rating_windows (booking_id),
      side text not null check (side in ('requester', 'provider')),
      listing_id uuid not null,
      listing_kind text not null,
      rater_organization_id uuid not null,
      rater_user_id uuid not null,
      ratee_organization_id uuid not null,
      ratee_member_id uuid,
      score smallint not null check (score between 1 and 5),
      dimensions jsonb not null default '{}',
      comment text,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      published_at timestamptz,
      hidden_at timestamptz,
      hidden_reason text,
      hidden_by uuid,
      -- Once per side of a booking.
      constraint ratings_one_per_side unique (booking_id, side),
      check ((hidden_at is null) = (hidden_reason is null))
    );
    create index ratings_listing on ratings (listing_id, published_at desc, id desc)
      where published_at is not null and hidden_at is null;
    create index ratings_ratee_org on ratings (ratee_organization_id, published_at desc, id desc)
      where published_at is not null and hidden_at is null;
    create index ratings_ratee_member on ratings (ratee_member_id, published_at desc, id desc)
      where published_at is not null and hidden_at is null;

    -- Published ratings never change (score, text, dimensions, publication) and are never deleted;
    -- only moderation columns may still move.
    create function ratings_published_immutable() returns trigger language plpgsql as $fn$
    begin
      if tg_op = 'DELETE' then
        if old.published_at is not null then
          raise exception 'a published rating cannot be deleted'
            using errcode = '23514', constraint = 'ratings_published_immutable';
        end if;
        return old;
      end if;
      if old.published_at is not null and (
        new.score is distinct from old.score or new.comment is distinct from old.comment
        or new.dimensions is distinct from old.dimensions or new.published_at is distinct from old.published_at
        or new.side is distinct from old.side or new.booking_id is distinct from old.booking_id
      ) then
        raise exception 'a published rating cannot change'
          using errcode = '23514', constraint = 'ratings_published_immutable';
      end if;
      return new;
    end
    $fn$;
    create trigger ratings_published_immutable before update or delete on ratings
      for each row execute function ratings_published_immutable();

    -- One public reply, by the rated side.
    create table rating_replies (
      rating_id uuid primary key references ratings (id),
      author_user_id uuid not null,
      body text not null,
      created_at timestamptz not null
    );

    create table rating_reports (
      rating_id uuid not null references ratings (id),
      reporter_user_id uuid not null,
      reason text not null,
      created_at timestamptz not null,
      primary key (rating_id, reporter_user_id)
    );

    -- Moderation of ratings (hide), with the moderator and the reason.
    create table rating_audit (
      id bigint generated always as identity primary key,
      rating_id uuid not null references ratings (id),
      actor_user_id uuid,
      action text not null,
      reason text,
      at timestamptz not null
    );

    -- The version of each subject's reputation, for the version of its reputation.updated events.
    create table reputation_versions (
      subject text not null,
      id uuid not null,
      version integer not null,
      primary key (subject, id)
    );

    -- Volunteer time credits: a journal per booking movement (earn on completion, reverse when a completed
    -- booking becomes a no-show), whose entries must sum to zero.
    create table credit_journals (
      id uuid primary key,
      booking_id uuid not null references bookings (id),
      kind text not null check (kind in ('earn', 'reverse')),
      created_at timestamptz not null,
      unique (booking_id, kind)
    );
    create table credit_entries (
      id bigint generated always as identity primary key,
      journal_id uuid not null references credit_journals (id),
      account_kind text not null check (account_kind in ('member', 'organization')),
      account_id uuid not null,
      -- For member entries: the organization the member acted for (who may see the member's credits).
      organization_id uuid not null,
      minutes integer not null check (minutes <> 0),
      created_at timestamptz not null
    );
    create index credit_entries_account on credit_entries (account_kind, account_id, id);
    create index credit_entries_journal on credit_entries (journal_id);

    -- Checked at commit (deferred), once every entry of the transaction is in: each journal sums to zero.
    create function credit_journal_balanced() returns trigger language plpgsql as $fn$
    declare
      total bigint;
    begin
      select coalesce(sum(minutes), 0) into total from credit_entries where journal_id = new.journal_id;
      if total <> 0 then
        raise exception 'time-credit journal % does not sum to zero (% minutes)', new.journal_id, total
          using errcode = '23514', constraint = 'credit_entries_balanced';
      end if;
      return null;
    end
    $fn$;
    create constraint trigger credit_entries_balanced after insert on credit_entries
      deferrable initially deferred for each row execute function credit_journal_balanced();

    -- Append-only: a correction is a new (reversing) journal, never an edit.
    create function credit_entries_append_only() returns trigger language plpgsql as $fn$
    begin
      raise exception 'time-credit entries are append-only'
        using errcode = '23514', constraint = 'credit_entries_append_only';
    end
    $fn$;
    create trigger credit_entries_append_only before update or delete on credit_entries
      for each row execute function credit_entries_append_only();
  `.execute(db)
}
