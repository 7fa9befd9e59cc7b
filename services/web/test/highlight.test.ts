import t from 'tap'
import { highlightParts } from '../ui/src/lib/highlight-parts.ts'

t.test('search highlights keep only the match marks and leave everything else as text', async (t) => {
  t.test('matches become marked runs, escaped text is shown as typed', async (t) => {
    t.same(highlightParts('社区<mark>会议室</mark> &amp; 活动室 &lt;3'), [
      { text: '社区', mark: false },
      { text: '会议室', mark: true },
      { text: ' & 活动室 <3', mark: false },
    ])
  })

  t.test("Meilisearch's own <em> tags mark matches too", async (t) => {
    t.same(highlightParts('<em>法律</em>咨询'), [
      { text: '法律', mark: true },
      { text: '咨询', mark: false },
    ])
  })

  t.test('markup other than the marks stays text, escaped or not', async (t) => {
    const parts = highlightParts('&lt;img src=x onerror=alert(1)&gt;<mark>a</mark><script>x</script>')
    t.same(parts, [
      { text: '<img src=x onerror=alert(1)>', mark: false },
      { text: 'a', mark: true },
      { text: '<script>x</script>', mark: false },
    ])
  })

  t.test('unbalanced tags neither nest nor leak', async (t) => {
    t.same(highlightParts('<mark>a<mark>b</mark></mark>c'), [
      { text: 'ab', mark: true },
      { text: 'c', mark: false },
    ])
  })
})
