import type zhCN from './privacy.zh-CN.ts'

/** The privacy notice, consent settings, data export and closing an account (English). */
const en: Record<keyof typeof zhCN, string> = {
  'privacy.footerNotice': 'Privacy notice',
  'privacy.footerTerms': 'Terms',
  'privacy.settingsLink': 'Privacy and account',
  'privacy.noticeFailed': 'The privacy notice could not be loaded; please try again later.',
  'privacy.version': 'Version {version}, published {date}',
  'privacy.acceptLabel': 'I have read and accept the privacy notice and terms',
  'privacy.readNotice': 'Read the privacy notice and terms',
  'privacy.acceptRequired': 'Please read and accept the privacy notice and terms first',
  'privacy.optionalTitle': 'Optional (change any time under “Privacy and account”)',
  'privacy.consent.personalisedRecommendations': 'Recommend resources from what I viewed',
  'privacy.consent.personalisedRecommendations.hint':
    'The listings you view are recorded to suggest similar ones. Turning this off deletes the recorded views.',
  'privacy.consent.emailNotifications': 'Send me notifications by email',
  'privacy.consent.emailNotifications.hint': 'In-app notifications always arrive; turning this off stops the emails.',
  'privacy.promptTitle': 'The privacy notice has changed',
  'privacy.promptText': 'Please read the new version of the privacy notice and terms and accept it to go on.',
  'privacy.promptAccept': 'Accept the new version',
  'privacy.promptAccepted': 'The new version is accepted.',
  'privacy.settingsTitle': 'Privacy and account',
  'privacy.acceptedVersion': 'You accepted the privacy notice (version {version}) on {date}.',
  'privacy.consentsTitle': 'Optional consents',
  'privacy.consentSaved': 'Saved.',
  'privacy.exportTitle': 'Export my data',
  'privacy.exportLead':
    'Everything Commons holds about you, in one file, ready within minutes; the download link expires.',
  'privacy.exportRequest': 'Request an export',
  'privacy.exportPending': 'Your data is being gathered; the download link appears here when it is ready…',
  'privacy.exportReady': 'Ready. The download link is valid until {date}.',
  'privacy.exportDownload': 'Download my data',
  'privacy.exportFailed': 'This export did not succeed; please request another.',
  'privacy.exportExpired': 'The last export’s link has expired; you may request a new one.',
  'privacy.deletionTitle': 'Close my account',
  'privacy.deletionLead':
    'Closing erases your name, email and mobile number; your ratings show as “已注销用户” (closed account). The account closes after a cooling-off period, whose end is shown once you ask; you may cancel until then.',
  'privacy.deletionPassword': 'Your password again',
  'privacy.deletionByPassword': 'Confirm with password',
  'privacy.deletionByCode': 'Confirm with a text code',
  'privacy.deletionMethods': 'How to confirm',
  'privacy.deletionSubmit': 'Close my account',
  'privacy.deletionPending': 'The account closes on {date}. You may cancel until then.',
  'privacy.deletionCancel': 'Cancel closing the account',
  'privacy.deletionCancelled': 'Closing is cancelled; the account stays.',
  'privacy.soleOwnerLink': 'Open the members of “{name}” to make another member owner',
  'privacy.noPhone': 'Your account has no mobile number yet; confirm with your password.',
}

export default en
