export * from './bookings.ts'
export * from './catalogue.ts'
export * from './feed.ts'
export * from './listings.ts'
