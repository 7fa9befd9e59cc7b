import type { ComponentType } from 'preact'
import { NotificationBell } from './components/notification-bell.tsx'
import { auth, signOut } from './lib/api.ts'
import { CITY_CHOICES, currentCity, setCity } from './lib/city.ts'
import { LANGS, lang, setLang, useT } from './lib/i18n.ts'
import { lazyPage } from './lib/lazy-page.tsx'
import { PHONE, useMedia } from './lib/media.ts'
import { Link, matchPath, navigate, useLocation } from './lib/router.tsx'
import { useStore } from './lib/store.ts'
import { Home } from './pages/home.tsx'
import { NoticePrompt } from './pages/privacy/notice-prompt.tsx'

// biome-ignore lint/suspicious/noExplicitAny: route parameters differ per page
type Page = ComponentType<any>

const ROUTES: Array<[string, Page]> = [
  ['/', Home],
  ['/search', lazyPage(() => import('./pages/search/index.tsx'))],
  ['/listings/:id', lazyPage(() => import('./pages/listing/index.tsx'))],
  ['/listings/:id/edit', lazyPage(() => import('./pages/listing-form/index.tsx'))],
  ['/signin', lazyPage(() => import('./pages/auth.tsx'))],
  ['/signup', lazyPage(() => import('./pages/auth.tsx'))],
  ['/verify-email', lazyPage(() => import('./pages/verify-email.tsx'))],
  ['/orgs', lazyPage(() => import('./pages/orgs.tsx'))],
  ['/orgs/:orgId', lazyPage(() => import('./pages/org.tsx'))],
  ['/orgs/:orgId/listings/new', lazyPage(() => import('./pages/listing-form/index.tsx'))],
  ['/needs', lazyPage(() => import('./pages/needs/index.tsx'))],
  ['/moderation', lazyPage(() => import('./pages/moderation/index.tsx'))],
  ['/bookings', lazyPage(() => import('./pages/bookings/index.tsx'))],
  ['/bookings/:id', lazyPage(() => import('./pages/bookings/index.tsx'))],
  ['/bookings/:id/booked', lazyPage(() => import('./pages/bookings/index.tsx'))],
  ['/profiles/:orgId', lazyPage(() => import('./pages/profile.tsx'))],
  ['/ledger', lazyPage(() => import('./pages/ledger.tsx'))],
  ['/notifications', lazyPage(() => import('./pages/notifications.tsx'))],
  // needs surveys and parent organizations' overviews
  ['/orgs/:orgId/surveys', lazyPage(() => import('./pages/surveys/list.tsx'))],
  ['/orgs/:orgId/surveys/new', lazyPage(() => import('./pages/surveys/builder.tsx'))],
  ['/surveys/:id', lazyPage(() => import('./pages/surveys/answer.tsx'))],
  ['/surveys/:id/results', lazyPage(() => import('./pages/surveys/results.tsx'))],
  ['/overview/:orgId', lazyPage(() => import('./pages/overview/index.tsx'))],

  ['/conversations', lazyPage(() => import('./pages/conversations.tsx'))],
  ['/conversations/:id', lazyPage(() => import('./pages/conversations.tsx'))],

  // activities: the fixed paths before /activities/:id
  ['/activities', lazyPage(() => import('./pages/activities/index.tsx'))],
  ['/activities/mine', lazyPage(() => import('./pages/activities/mine.tsx'))],
  ['/activities/:id', lazyPage(() => import('./pages/activities/activity.tsx'))],
  ['/activities/:id/manage', lazyPage(() => import('./pages/activities/manage.tsx'))],
  ['/orgs/:orgId/activities', lazyPage(() => import('./pages/activities/host.tsx'))],
  ['/volunteers/:id', lazyPage(() => import('./pages/activities/volunteer.tsx'))],

  // privacy: the notice and terms (public), consents, export and closing the account
  ['/privacy', lazyPage(() => import('./pages/privacy/notice.tsx'))],
  ['/terms', lazyPage(() => import('./pages/privacy/notice.tsx'))],
  ['/settings/privacy', lazyPage(() => import('./pages/privacy/settings.tsx'))],
]

function NotFound() {
  const t = useT()
  return (
    <section>
      <h1>{t('notFound.title')}</h1>
      <p>
        <Link href="/">{t('notFound.home')}</Link>
      </p>
    </section>
  )
}

/** The city search and the home page start from; the choice is remembered in this browser. */
function CitySwitcher() {
  const t = useT()
  const city = useStore(currentCity)
  return (
    <label class="lang city-switcher">
      <span class="visually-hidden">{t('city.switch')}</span>
      <select value={city} onChange={(e) => setCity((e.target as HTMLSelectElement).value)}>
        {CITY_CHOICES.map((c) => (
          <option key={c.code} value={c.name}>
            {c.name}
          </option>
        ))}
      </select>
    </label>
  )
}

/** The language switch: in the header on wider screens, in the footer on phones (the header has no
 * room there). Rendered in one place at a time, so it stays one labelled control. */
function LanguageSelect() {
  const t = useT()
  const current = useStore(lang)
  return (
    <label class="lang">
      <span class="visually-hidden">{t('nav.language')}</span>
      <select value={current} onChange={(e) => setLang((e.target as HTMLSelectElement).value as typeof current)}>
        {LANGS.map((l) => (
          <option key={l} value={l}>
            {l === 'zh-CN' ? '中文' : 'English'}
          </option>
        ))}
      </select>
    </label>
  )
}

function Header({ phone }: { phone: boolean }) {
  const t = useT()
  const me = useStore(auth)
  const { path } = useLocation()
  const nav: Array<[string, string]> = [
    ['/search', t('nav.search')],
    ['/activities', t('nav.activities')],
    ['/needs', t('nav.needs')],
    ['/ledger', t('nav.ledger')],
  ]
  if (me.status === 'signed-in') nav.push(['/bookings', t('nav.bookings')], ['/orgs', t('nav.orgs')])
  if (me.moderator) nav.push(['/moderation', t('nav.moderation')])
  return (
    <header class="site-header">
      <div class="wrap header-row">
        <Link href="/" class="brand">
          <span class="brand-mark" aria-hidden="true">
            共
          </span>
          {t('app.name')}
        </Link>
        <nav aria-label={t('nav.label')}>
          <ul class="nav-list">
            {nav.map(([href, label]) => (
              <li key={href}>
                <Link href={href} aria-current={path === href || path.startsWith(`${href}/`) ? 'page' : undefined}>
                  {label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div class="header-tools">
          <NotificationBell />
          {me.status === 'signed-in' ? (
            <>
              <span class="who">{me.user?.displayName}</span>
              <button
                type="button"
                class="btn btn-quiet"
                onClick={async () => {
                  await signOut()
                  navigate('/')
                }}
              >
                {t('nav.signOut')}
              </button>
            </>
          ) : me.status === 'signed-out' ? (
            <>
              <Link href="/signin" class="btn btn-quiet">
                {t('nav.signIn')}
              </Link>
              <Link href="/signup" class="btn btn-primary">
                {t('nav.signUp')}
              </Link>
            </>
          ) : null}
          <CitySwitcher />
          {phone ? null : <LanguageSelect />}
        </div>
      </div>
    </header>
  )
}

export function App() {
  const { path } = useLocation()
  useStore(lang)
  let page = <NotFound />
  for (const [pattern, Component] of ROUTES) {
    const params = matchPath(pattern, path)
    if (params) {
      page = <Component key={`${pattern}:${JSON.stringify(params)}`} {...params} path={path} />
      break
    }
  }
  const t = useT()
  const me = useStore(auth)
  const phone = useMedia(PHONE)
  return (
    <>
      <a class="skip-link" href="#main">
        {t('nav.skip')}
      </a>
      <Header phone={phone} />
      <main id="main" class="wrap">
        <NoticePrompt />
        {page}
      </main>
      <footer class="site-footer">
        <div class="wrap">
          <p>{t('app.footer')}</p>
          <p>
            <a href="/docs">{t('app.apiDocs')}</a>
          </p>
          <p class="footer-links">
            <Link href="/privacy">{t('privacy.footerNotice')}</Link>
            <Link href="/terms">{t('privacy.footerTerms')}</Link>
            {me.status === 'signed-in' && <Link href="/settings/privacy">{t('privacy.settingsLink')}</Link>}
          </p>
          {phone ? <LanguageSelect /> : null}
        </div>
      </footer>
    </>
  )
}
