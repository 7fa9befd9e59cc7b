import t from 'tap'
import { ListingFields, MAX_MONEY_AMOUNT, Money } from '../src/index.ts'

const venue = {
  kind: 'venue',
  title: '社区党群服务中心多功能会议室',
  location: { city: '上海', district: '浦东新区', address: '张杨路 500 号', lat: 31.2303, lng: 121.5258 },
  capacity: 60,
}
const paths = (result: { error?: { issues: Array<{ path: PropertyKey[] }> } }) =>
  result.error?.issues.map((i) => i.path.join('.')) ?? []

t.test('money is bounded by what an integer column holds', async (t) => {
  t.ok(Money.safeParse({ amount: MAX_MONEY_AMOUNT, currency: 'CNY' }).success)
  for (const amount of [MAX_MONEY_AMOUNT + 1, 2 ** 53, 1e300]) {
    t.notOk(Money.safeParse({ amount, currency: 'CNY' }).success, String(amount))
  }
  const hourly = (amount: number) =>
    ListingFields.safeParse({
      ...venue,
      pricing: { model: 'fee', unit: 'hour', price: { amount, currency: 'CNY' } },
      rules: { maxDurationMinutes: 480, minDurationMinutes: 60, slotMinutes: 60 },
    })
  t.ok(hourly(100_000).success, '1,000 yuan an hour')
  t.same(paths(hourly(300_000_000)), ['pricing'], 'eight hours at a price that fits alone would overflow the total')
})

t.test('listing text refuses control characters (the highlighter uses U+0001 and U+0002)', async (t) => {
  for (const [field, value] of [
    ['title', '\u0001免费\u0002场地'],
    ['title', '会议室\u0000'],
    ['title', '会议室\u001b[31m'],
    ['description', '说明\u0002'],
    ['tags', ['\u0001标签']],
  ] as const) {
    const result = ListingFields.safeParse({ ...venue, [field]: value })
    t.notOk(result.success, `${field} ${JSON.stringify(value)}`)
    t.match(paths(result)[0], new RegExp(`^${field}`))
  }
  t.ok(ListingFields.safeParse({ ...venue, description: '第一行\n第二行\t缩进' }).success, 'line breaks are text')
})
