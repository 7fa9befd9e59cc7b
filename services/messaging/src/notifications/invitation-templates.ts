import type { NotificationParams } from './templates.ts'

type Text = { title: string; body: string }
type InvitationTemplates = Record<'organization_invitation', (p: NotificationParams, at: string) => Text>

/** An admin invited the reader to an organization; `at` is the invitation's expiry. */
export const invitationZh: InvitationTemplates = {
  organization_invitation: (p, at) => ({
    title: `${p.organization} 邀请你加入`,
    body: `请在 ${at} 前到“我的组织”接受或拒绝。`,
  }),
}

export const invitationEn: InvitationTemplates = {
  organization_invitation: (p, at) => ({
    title: `${p.organization} invites you to join`,
    body: `Accept or decline under My organizations before ${at}.`,
  }),
}
