export { DEMO_ORGANIZATIONS, type DemoOrganization } from './catalogue.ts'
export { type DemoConversationsSummary, loadDemoConversations } from './conversations.ts'
export { DEMO_ACCOUNTS, DEMO_PASSWORD, type DemoSummary, loadDemoData } from './load.ts'
