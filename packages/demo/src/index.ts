export { DEMO_ACTIVITIES, loadDemoActivities } from './activities.ts'
export { DEMO_ORGANIZATIONS, type DemoOrganization } from './catalogue.ts'
export { DEMO_ACCOUNTS, DEMO_PASSWORD, type DemoSummary, loadDemoData } from './load.ts'
export { DEMO_HIERARCHY, loadDemoSurveys } from './surveys.ts'
