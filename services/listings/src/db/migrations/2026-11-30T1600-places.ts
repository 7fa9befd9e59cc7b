import { resolveDistrict } from '@commons/places'
import { type Kysely, sql } from 'kysely'

/*
 * Places get GB/T 2260 codes. Organizations keep theirs in a column; listings in their fields document.
 * Rows written before the gazetteer get codes when their city and district name exactly one district;
 * the others keep their names and no code. The gazetteer is bundled data, not application code, and codes
 * do not change meaning, so the migration may read it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table organizations add column district_code text`.execute(db)

  const organizations = await sql<{ id: string; city: string; district: string }>`
    select id, city, district from organizations`.execute(db)
  for (const org of organizations.rows) {
    const place = resolveDistrict(org.city, org.district)
    if (place) {
      await sql`update organizations set district_code = ${place.district.code} where id = ${org.id}`.execute(db)
    }
  }

  const listings = await sql<{ id: string; city: string; district: string }>`
    select id, city, district from listings where details->'location'->>'districtCode' is null`.execute(db)
  for (const listing of listings.rows) {
    const place = resolveDistrict(listing.city, listing.district)
    if (!place) continue
    const codes = {
      provinceCode: place.province.code,
      province: place.province.name,
      cityCode: place.city.code,
      districtCode: place.district.code,
    }
    await sql`update listings set details = jsonb_set(details, '{location}', details->'location' || ${JSON.stringify(codes)}::jsonb)
      where id = ${listing.id}`.execute(db)
  }
}
