import { type Kysely, sql } from 'kysely'

/**
 * Replicas of what the listings and bookings feeds say (organizations and their members, listings, needs,
 * bookings), conversations with their messages and read positions, notifications with preferences and
 * deliveries, and the audit of moderators reading reported conversations.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table organizations (
      id uuid primary key,
      name text not null,
      verified boolean not null,
      version integer not null,
      members_version integer not null default 0
    );
    create table members (
      organization_id uuid not null,
      user_id uuid not null,
      display_name text not null,
      role text not null check (role in ('owner', 'admin', 'member')),
      primary key (organization_id, user_id)
    );
    create index members_user on members (user_id);

    create table listings (
      id uuid primary key,
      organization_id uuid not null,
      title text not null,
      kind text not null,
      city text,
      status text not null,
      version integer not null
    );
    create index listings_organization on listings (organization_id);

    create table needs (
      id uuid primary key,
      organization_id uuid not null,
      title text not null,
      kind text not null,
      city text not null,
      status text not null,
      version integer not null
    );

    create table bookings (
      id uuid primary key,
      listing_id uuid not null,
      provider_organization_id uuid not null,
      requester_organization_id uuid not null,
      requester_user_id uuid not null,
      status text not null,
      start_at timestamptz not null,
      end_at timestamptz not null,
      version integer not null
    );

    create table conversations (
      id uuid primary key,
      subject_type text not null check (subject_type in ('booking', 'need')),
      subject_id uuid not null,
      requester_organization_id uuid not null,
      provider_organization_id uuid not null,
      created_at timestamptz not null,
      last_message_at timestamptz,
      message_count integer not null default 0,
      reported_at timestamptz,
      reported_by uuid,
      report_reason text,
      -- One conversation per booking, and one per need and answering organization: create-or-return
      -- relies on it under concurrent creates.
      unique (subject_type, subject_id, provider_organization_id)
    );
    create index conversations_reported on conversations (reported_at) where reported_at is not null;

    create table messages (
      id uuid primary key,
      conversation_id uuid not null references conversations (id),
      author_id uuid not null,
      author_name text not null,
      author_organization_id uuid,
      text text not null,
      created_at timestamptz not null,
      idempotency_key text,
      request_hash text,
      unique (conversation_id, author_id, idempotency_key)
    );
    create index messages_page on messages (conversation_id, created_at desc, id desc);

    create table conversation_reads (
      conversation_id uuid not null references conversations (id),
      user_id uuid not null,
      read_at timestamptz not null,
      primary key (conversation_id, user_id)
    );

    create table moderation_reads (
      id bigint generated always as identity primary key,
      conversation_id uuid not null references conversations (id),
      moderator_id uuid not null,
      read_at timestamptz not null
    );

    create table notifications (
      id uuid primary key,
      -- Ties of created_at (one event notifies in one instant) are ordered by insertion.
      seq bigint generated always as identity,
      user_id uuid not null,
      type text not null,
      params jsonb not null,
      link text not null,
      created_at timestamptz not null,
      read_at timestamptz,
      -- What the notification is about, once per user: a replayed feed event or a retried job adds nothing.
      dedupe_key text not null,
      unique (user_id, dedupe_key)
    );
    create index notifications_page on notifications (user_id, created_at desc, seq desc);
    create index notifications_unread on notifications (user_id) where read_at is null;

    create table preferences (
      user_id uuid primary key,
      language text not null default 'zh-CN',
      email_address text,
      email_enabled boolean not null default true,
      -- [{type, inApp, email}]: a list, not an object keyed by type, because the CamelCasePlugin would
      -- rewrite snake_case keys of a stored object when reading it back.
      types jsonb not null default '[]',
      updated_at timestamptz not null
    );

    create table deliveries (
      notification_id uuid not null references notifications (id),
      channel text not null,
      delivered_at timestamptz not null,
      primary key (notification_id, channel)
    );
  `.execute(db)
}
