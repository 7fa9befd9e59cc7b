import t from 'tap'
import { venueBody } from './fixtures.ts'
import { bearer, createOrganization, orgOwner, signUp, testApp } from './helpers.ts'

t.test('places come from the gazetteer', async (t) => {
  const { app } = await testApp(t)
  const owner = await orgOwner(app)
  const url = `/v1/organizations/${owner.organization.id}/listings`
  const post = (payload: object) => app.inject({ method: 'POST', url, headers: bearer(owner.token), payload })
  const count = async () =>
    (await app.inject({ method: 'GET', url, headers: bearer(owner.token) })).json().items.length as number

  t.test('a venue picked by district code needs no coordinates; the codes name the names', async (t) => {
    const res = await post(
      venueBody({ location: { city: '随便', district: '写的', districtCode: '310115', address: '张杨路 1550 号' } }),
    )
    t.equal(res.statusCode, 201, res.body)
    t.same(res.json().location, {
      provinceCode: '310000',
      province: '上海市',
      cityCode: '310100',
      city: '上海',
      districtCode: '310115',
      district: '浦东新区',
      address: '张杨路 1550 号',
    })
  })

  t.test('a code that is no district is 422 place_unknown, and nothing is created', async (t) => {
    const before = await count()
    const res = await post(
      venueBody({ location: { city: '上海', district: '浦东新区', districtCode: '310199', address: '某路 1 号' } }),
    )
    t.equal(res.statusCode, 422)
    t.equal(res.json().code, 'place_unknown')
    t.equal(await count(), before)
  })

  t.test('a venue in a district the gazetteer lacks needs a pin', async (t) => {
    const unknown = { city: '上海', district: '新天地区', address: '某路 1 号' }
    const res = await post(venueBody({ location: unknown }))
    t.equal(res.statusCode, 422)
    t.equal(res.json().code, 'place_unknown')
    const pinned = await post(venueBody({ location: { ...unknown, lat: 31.22, lng: 121.47 } }))
    t.equal(pinned.statusCode, 201, pinned.body)
    t.equal(pinned.json().location.districtCode, undefined)
  })

  t.test('names alone get the codes of the one district they name; a pin is kept', async (t) => {
    const res = await post(venueBody())
    t.equal(res.statusCode, 201, res.body)
    t.match(res.json().location, { districtCode: '310115', cityCode: '310100', lat: 31.2304, lng: 121.5273 })
  })

  t.test('moving a listing to another district replaces its codes', async (t) => {
    const created = (await post(venueBody())).json()
    const res = await app.inject({
      method: 'PATCH',
      url: `/v1/listings/${created.id}`,
      headers: { ...bearer(owner.token), 'if-match': `"${created.version}"` },
      payload: { location: { city: '深圳', district: '南山区', districtCode: '440305', address: '科技园' } },
    })
    t.equal(res.statusCode, 200, res.body)
    t.match(res.json().location, { provinceCode: '440000', cityCode: '440300', city: '深圳', district: '南山区' })
  })

  t.test('an organization takes its place from a district code, or gets the code of its names', async (t) => {
    const session = await signUp(app)
    const coded = await createOrganization(app, session.accessToken, {
      city: '北京',
      district: '写错了',
      districtCode: '110105',
    })
    const org = await app.inject({ method: 'GET', url: `/v1/organizations/${coded.organization.id}` })
    t.match(org.json(), { city: '北京', district: '朝阳区', districtCode: '110105' })

    const named = await createOrganization(app, (await signUp(app)).accessToken, { city: '重庆', district: '渝中区' })
    const got = await app.inject({ method: 'GET', url: `/v1/organizations/${named.organization.id}` })
    t.equal(got.json().districtCode, '500103')

    const bad = await app.inject({
      method: 'POST',
      url: '/v1/organizations',
      headers: bearer((await signUp(app)).accessToken),
      payload: {
        name: '某社区居委会',
        kind: 'residents_committee',
        city: '上海',
        district: '浦东新区',
        districtCode: '999999',
      },
    })
    t.equal(bad.statusCode, 422)
    t.equal(bad.json().code, 'place_unknown')
  })
})
