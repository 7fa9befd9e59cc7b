/** Table types of the `discovery` schema (camelCase; the database uses snake_case). */
// biome-ignore lint/complexity/noBannedTypes: tables arrive with the features that own them
export type DB = {}
