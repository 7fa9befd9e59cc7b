import type { PrivacyNotice } from '@commons/contracts'

/**
 * The privacy notice and terms in force. Changing any text means a new `version`: everyone who accepted an
 * older one is asked again at their next sign-in (`mustAcceptNotice`). Older versions stay in git history.
 */
export const CURRENT_NOTICE: PrivacyNotice = {
  version: '2026-11-30',
  publishedAt: '2026-11-30T00:00:00.000Z',
  zhCN: {
    title: '共享资源超市 隐私政策与用户协议',
    sections: [
      {
        heading: '我们收集哪些信息',
        body: '注册时的电子邮箱、昵称和密码（只保存加密后的摘要）；你绑定的手机号；你加入的组织和角色；你的预约、评价、消息、通知、活动报名、签到、互评和问卷回答；在你同意个性化推荐时，你浏览过的资源。',
      },
      {
        heading: '为什么收集',
        body: '为了让你登录、预约和使用资源、与对方联系、公开透明地展示资源使用情况。个性化推荐和邮件通知是可选的，只在你同意后使用，你可以随时在“隐私设置”中撤回。',
      },
      {
        heading: '谁能看到',
        body: '评价和使用台账公开展示，但不含你的联系方式。联系方式只在预约确认后向双方显示。管理员只在处理举报时查看相关内容，并留有审计记录。',
      },
      {
        heading: '保存多久',
        body: '浏览记录保存九十天，通知记录保存一百八十天，到期自动删除。预约和支付记录按法律要求保存，注销账号后去除身份信息。',
      },
      {
        heading: '你的权利',
        body: '你可以随时导出我们保存的关于你的全部信息，可以撤回可选同意，也可以注销账号。注销申请提交后有七天冷静期，期间可以撤销；冷静期结束后，你的姓名、邮箱和手机号会从所有服务中删除，你的评价署名为“已注销用户”。',
      },
    ],
  },
  en: {
    title: 'Commons privacy notice and terms',
    sections: [
      {
        heading: 'What we collect',
        body: 'At sign-up your email, display name and password (only a salted hash is kept); the mobile number you attach; the organizations you belong to and your role; your bookings, ratings, messages, notifications, activity sign-ups, check-ins, evaluations and survey answers; and, only if you agree to personalised recommendations, the listings you view.',
      },
      {
        heading: 'Why',
        body: 'To sign you in, let you book and share resources, put you in touch with the other side, and publish how shared resources are used. Personalised recommendations and email notifications are optional: they are used only after you agree and you can withdraw at any time in your privacy settings.',
      },
      {
        heading: 'Who sees it',
        body: 'Ratings and the usage ledger are public but carry no contact details. Contact details are shown only to the two sides of a confirmed booking. Moderators read content only to handle reports, and each reading is audited.',
      },
      {
        heading: 'How long',
        body: 'View history is kept for 90 days and notification history for 180 days, then deleted automatically. Booking and payment records are kept as the law requires, without your identity once the account is closed.',
      },
      {
        heading: 'Your rights',
        body: 'You may download everything we hold about you at any time, withdraw optional consents, and close your account. A closing account has a 7-day cooling-off period during which you can cancel; after it your name, email and mobile number are erased from every service and your ratings are shown as 已注销用户.',
      },
    ],
  },
}
