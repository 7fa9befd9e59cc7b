import { ErrorNote, Loading } from '../../components/feedback.tsx'
import { RequireAuth } from '../../components/require-auth.tsx'
import { api } from '../../lib/api.ts'
import { useT } from '../../lib/i18n.ts'
import { must, useLoad } from '../../lib/load.ts'
import { ListingForm } from './listing-form.tsx'

function EditListing({ id }: { id: string }) {
  const t = useT()
  const listing = useLoad(async () => must(await api.GET('/v1/listings/{id}', { params: { path: { id } } })), [id])
  if (listing.loading) return <Loading />
  if (!listing.data) return <ErrorNote>{t('listing.notFound')}</ErrorNote>
  return <ListingForm orgId={listing.data.organizationId} listing={listing.data} />
}

export default function ListingFormPage({ id, orgId }: { id?: string; orgId?: string }) {
  return <RequireAuth>{id ? <EditListing id={id} /> : <ListingForm orgId={orgId!} />}</RequireAuth>
}
