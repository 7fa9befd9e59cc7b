import type zhCN from './invitations.zh-CN.ts'

/** Invitations to organizations: the members section and the invitee's pending ones (English). */
const en: Record<keyof typeof zhCN, string> = {
  'invite.sent': 'Invitation sent to {email}; they become a member once they accept.',
  'invite.hint':
    'They join once they accept under My organizations, signed in with this email; without an account yet, they see it after signing up.',
  'invite.pendingTitle': 'Pending invitations',
  'invite.none': 'No pending invitations.',
  'invite.expires': 'Valid until {date}',
  'invite.expired': 'Expired; invite again',
  'invite.revoke': 'Revoke',
  'invite.revokeConfirm': 'Revoke the invitation to {email}?',
  'invite.mineTitle': 'Invitations for you',
  'invite.from': '{organization} invites you to join as {role}',
  'invite.by': 'Invited by {name}',
  'invite.accept': 'Accept',
  'invite.decline': 'Decline',
  'invite.accepted': 'You joined {organization}.',
}

export default en
