// The policy table lives in contracts so the web UI previews exactly what bookings refunds.
export { REFUND_STEPS, refundAmount, refundShare } from '@commons/contracts'
