import type { Generated, Insertable, Selectable } from 'kysely'

/** Table types of the `listings` schema (camelCase; the database uses snake_case). */
export interface DB {
  users: UsersTable
  refreshTokens: RefreshTokensTable
  signingKeys: SigningKeysTable
  organizations: OrganizationsTable
  memberships: MembershipsTable
}

export interface UsersTable {
  id: string
  email: string
  passwordHash: string
  displayName: string
  moderator: Generated<boolean>
  createdAt: Generated<Date>
  updatedAt: Generated<Date>
}
export type UserRow = Selectable<UsersTable>

export interface RefreshTokensTable {
  id: string
  familyId: string
  userId: string
  tokenHash: Buffer
  expiresAt: Date
  usedAt: Date | null
  revokedAt: Date | null
  createdAt: Generated<Date>
}

export interface SigningKeysTable {
  kid: string
  privateJwk: Record<string, unknown>
  publicJwk: Record<string, unknown>
  createdAt: Generated<Date>
  retiredAt: Date | null
}

export interface OrganizationsTable {
  id: string
  name: string
  kind: string
  district: string
  city: string
  description: string
  verified: Generated<boolean>
  version: Generated<number>
  createdAt: Generated<Date>
  updatedAt: Generated<Date>
}
export type OrganizationRow = Selectable<OrganizationsTable>
export type NewOrganization = Insertable<OrganizationsTable>

export interface MembershipsTable {
  organizationId: string
  userId: string
  role: 'owner' | 'admin' | 'member'
  createdAt: Generated<Date>
}
