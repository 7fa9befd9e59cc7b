/** Invitations to organizations: the members section and the invitee's pending ones (zh-CN). */
export default {
  'invite.sent': '邀请已发送给 {email}，对方接受后即成为成员。',
  'invite.hint': '对方用这个邮箱登录后，在“我的组织”接受邀请才会加入；还没注册的，注册后也能看到。',
  'invite.pendingTitle': '待接受的邀请',
  'invite.none': '没有待接受的邀请。',
  'invite.expires': '{date} 前有效',
  'invite.expired': '已过期，可重新邀请',
  'invite.revoke': '撤回',
  'invite.revokeConfirm': '撤回发给 {email} 的邀请？',
  'invite.mineTitle': '待处理的邀请',
  'invite.from': '{organization} 邀请你以{role}身份加入',
  'invite.by': '邀请人：{name}',
  'invite.accept': '接受',
  'invite.decline': '拒绝',
  'invite.accepted': '已加入 {organization}。',
}
