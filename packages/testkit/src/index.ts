export { freePort, freePorts } from '@commons/infra'
export * from './bench.ts'
export {
  databaseUrlFor,
  dropDatabase,
  dropRunDatabases,
  type TestContext,
  type TestDatabaseOptions,
  testDatabase,
} from './database.ts'
export { publishedVenue, type VenueOverrides } from './listings.ts'
export { deleteIndexes, type TestMeili, testMeili } from './meili.ts'
export { startS3Server, type TestS3 } from './s3.ts'
export {
  serviceTestEnv,
  TEST_SERVICE_TOKEN,
  TestClock,
  type TestTokenClaims,
  type TestTokens,
  testTokens,
} from './service-auth.ts'
export { type ReceivedMail, type SmtpTestServer, startSmtpServer } from './smtp-server.ts'
export { getStack, readTestEnv, type TestEnv, type TestStack, testRunId } from './stack.ts'
export { stripeJsSource, TEST_CARDS } from './stripe-js.ts'
export {
  type PaymentIntent,
  type Refund,
  type StripeErrorObject,
  type StripeEvent,
  type StripeTestServer,
  stripeSignature,
  type WebhookDelivery,
  type WebhookTarget,
} from './stripe-objects.ts'
export { startStripeServer } from './stripe-server.ts'
