import { type Kysely, sql } from 'kysely'

/** Needs surveys, their responses, moderated free-text answers and the needs raised from results. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table surveys (
      id uuid primary key,
      organization_id uuid not null,
      title text not null,
      description text not null default '',
      allow_anonymous boolean not null,
      questions jsonb not null,
      status text not null default 'draft' check (status in ('draft', 'published')),
      opens_at timestamptz,
      closes_at timestamptz,
      created_by uuid not null,
      version integer not null default 1,
      created_at timestamptz not null,
      constraint surveys_window check (status = 'draft' or (opens_at is not null and closes_at > opens_at))
    );
    create index surveys_organization_idx on surveys (organization_id, id);

    -- respondent_user_id: a signed-in respondent (one answer each); device_hash: an anonymous respondent's
    -- device (one answer each), hashed with the survey id so devices cannot be followed across surveys;
    -- entered_by: the grid worker who entered a resident's answers. target_group and district are the
    -- answers to the survey's breakdown questions, copied out for cross-tabulation.
    create table survey_responses (
      id uuid primary key,
      survey_id uuid not null references surveys (id) on delete cascade,
      respondent_user_id uuid,
      device_hash text,
      entered_by uuid,
      challenge_hash text,
      client_hash text,
      answers jsonb not null,
      target_group text,
      district text,
      created_at timestamptz not null
    );
    create unique index survey_responses_user_key on survey_responses (survey_id, respondent_user_id)
      where respondent_user_id is not null;
    create unique index survey_responses_device_key on survey_responses (survey_id, device_hash)
      where device_hash is not null;
    -- A solved challenge answers once.
    create unique index survey_responses_challenge_key on survey_responses (challenge_hash)
      where challenge_hash is not null;
    create index survey_responses_client_idx on survey_responses (survey_id, client_hash, created_at);

    create table survey_texts (
      id uuid primary key,
      survey_id uuid not null references surveys (id) on delete cascade,
      response_id uuid not null references survey_responses (id) on delete cascade,
      question_id text not null,
      text text not null,
      status text not null default 'pending' check (status in ('pending', 'approved', 'rejected')),
      moderated_by uuid,
      created_at timestamptz not null
    );
    create index survey_texts_survey_idx on survey_texts (survey_id, question_id, created_at);

    create table survey_needs (
      need_id uuid primary key,
      survey_id uuid not null references surveys (id) on delete cascade,
      organization_id uuid not null,
      question_id text not null,
      option_id text not null,
      evidence text not null,
      fields jsonb not null,
      created_by uuid not null,
      created_at timestamptz not null
    );
    create index survey_needs_survey_idx on survey_needs (survey_id);
  `.execute(db)
}
