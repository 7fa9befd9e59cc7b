export { DEMO_ACCOUNTS, DEMO_PASSWORD, type DemoSummary, loadDemoData } from './load.ts'
