/**
 * The needs board's demo posts and the dates they fall on: what groups in 上海, 深圳 and 重庆 ask for, posted
 * by the demo member or the organizer for one of the catalogue's organizations.
 */

/** A date `days` from now at a Shanghai wall-clock hour, as RFC 3339 with +08:00. */
function shanghaiAt(now: Date, days: number, hour: number) {
  const date = new Date(now.getTime() + 8 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 10)
  return `${date}T${String(hour).padStart(2, '0')}:00:00+08:00`
}

/** Like `shanghaiAt`, on the first Tuesday to Thursday at least `days` ahead (demo venues open on weekdays). */
function midweekAt(now: Date, days: number, hour: number) {
  for (let d = days; ; d++) {
    const weekday = new Date(now.getTime() + 8 * 3_600_000 + d * 86_400_000).getUTCDay()
    if (weekday >= 2 && weekday <= 4) return shanghaiAt(now, d, hour)
  }
}

/** A need to post: who posts it, for which catalogue organization, and the body without the organization. */
export interface DemoNeed {
  by: 'member' | 'organizer'
  org: string
  fields: Record<string, unknown>
}

/** The demo needs, dated from `now`. */
export const demoNeeds = (now: Date): DemoNeed[] => [
  // Fits 陆家嘴党群中心多功能厅, so the demo provider sees it under 需求广场 → 适合我的资源.
  {
    by: 'member',
    org: 'rihui',
    fields: {
      kind: 'venue',
      title: '楼宇党建联建活动需要 80 人的大厅',
      description: '联合辖区楼宇党组织开展主题党日，需要投影和音响，下午两小时。',
      tags: ['党建', '主题党日'],
      city: '上海',
      district: '浦东新区',
      window: { start: midweekAt(now, 5, 14), end: midweekAt(now, 5, 16) },
      attendees: 80,
    },
  },
  {
    by: 'member',
    org: 'rihui',
    fields: {
      kind: 'venue',
      title: '老年大学结业典礼需要 60 人场地',
      description: '需要投影和音响，最好有无障碍通道，上午半天。',
      tags: ['典礼', '老年人'],
      city: '上海',
      district: '徐汇区',
      window: { start: shanghaiAt(now, 14, 9), end: shanghaiAt(now, 14, 12) },
      attendees: 60,
    },
  },
  {
    by: 'member',
    org: 'rihui',
    fields: {
      kind: 'volunteer_time',
      title: '每周两次陪独居老人聊天',
      description: '小区有 12 位独居老人，希望有志愿者每周二、四下午上门陪伴。',
      tags: ['助老'],
      city: '上海',
      district: '徐汇区',
      window: { start: shanghaiAt(now, 3, 14), end: shanghaiAt(now, 33, 17) },
    },
  },
  {
    by: 'organizer',
    org: 'dongmen',
    fields: {
      kind: 'expertise',
      title: '为居民开一场租房合同普法讲座',
      description: '湖贝片区租户多，希望律师讲解租房合同和押金纠纷。',
      tags: ['普法', '租房'],
      city: '深圳',
      district: '罗湖区',
      window: { start: shanghaiAt(now, 10, 19), end: shanghaiAt(now, 10, 21) },
      attendees: 40,
    },
  },
  {
    by: 'organizer',
    org: 'nanping',
    fields: {
      kind: 'venue',
      title: '社区百家宴需要厨房和餐桌',
      description: '重阳节百家宴，约 30 位老人，需要厨房半天。',
      tags: ['百家宴', '重阳节'],
      city: '重庆',
      district: '南岸区',
      window: { start: shanghaiAt(now, 21, 9), end: shanghaiAt(now, 21, 14) },
      attendees: 30,
      budget: { amount: 20000, currency: 'CNY' },
    },
  },
  {
    by: 'organizer',
    org: 'shapingba-youth',
    fields: {
      kind: 'expertise',
      title: '大学生志愿者需要应急救护培训',
      description: '暑期支教前培训 35 名志愿者，需要持证导师。',
      tags: ['应急救护', '志愿者培训'],
      city: '重庆',
      district: '沙坪坝区',
      window: { start: shanghaiAt(now, 7, 9), end: shanghaiAt(now, 28, 17) },
      attendees: 35,
    },
  },
]
