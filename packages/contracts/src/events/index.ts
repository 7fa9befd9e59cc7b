export * from './bookings.ts'
export * from './catalogue.ts'
export * from './community.ts'
export * from './feed.ts'
export * from './listings.ts'
export * from './messaging.ts'

export * from './surveys.ts'
