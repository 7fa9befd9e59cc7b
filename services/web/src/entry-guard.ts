import { timingSafeEqual } from 'node:crypto'
import { BlockList, isIP } from 'node:net'
import { AppError } from '@commons/service-kit'

const CONTROL = /\p{Cc}/u

/**
 * Decodes a request target once, as the services behind the entry point will, and refuses what could
 * reach another route than the one it names. Upstreams and the URL parser `reply-from` hands the target to
 * normalise backslashes and dot segments (also percent-encoded ones), so `/v1/bookings/x\..\..\metrics`
 * would leave `/v1/bookings` and land on an internal route; an encoded slash splits a segment after this
 * check. Malformed escapes (`%FF`, an encoded lone surrogate) are a client error here rather than a 500
 * somewhere behind. Returns the problem to answer, or undefined when the target may pass.
 */
export function checkRequestTarget(rawUrl: string): AppError | undefined {
  const queryAt = rawUrl.indexOf('?')
  const path = queryAt === -1 ? rawUrl : rawUrl.slice(0, queryAt)
  const query = queryAt === -1 ? '' : rawUrl.slice(queryAt + 1)
  if (!path.startsWith('/')) return notAllowed(path)
  if (path.includes('\\') || /%(2f|5c)/i.test(path)) return notAllowed(path)
  for (const segment of path.split('/').slice(1)) {
    const decoded = decodeOnce(segment)
    if (decoded === undefined) return malformed()
    if (decoded === '.' || decoded === '..' || CONTROL.test(decoded)) return notAllowed(path)
  }
  for (const part of query.split('&')) {
    for (const piece of part.split('=')) {
      const decoded = decodeOnce(piece.replaceAll('+', ' '))
      if (decoded === undefined) return malformed()
      if (decoded.includes('\u0000')) return malformed()
    }
  }
  // Whatever the checks above missed, the URL parser must leave the path as it came.
  let parsed: string
  try {
    parsed = new URL(path, 'http://entry.invalid').pathname
  } catch {
    return malformed()
  }
  if (parsed !== path) return notAllowed(path)
  return undefined
}

function decodeOnce(text: string): string | undefined {
  try {
    return decodeURIComponent(text)
  } catch {
    return undefined
  }
}

const malformed = () =>
  new AppError('malformed_url', 400, 'The URL has a malformed percent-escape or a character it may not carry.')

const notAllowed = (path: string) =>
  new AppError(
    'path_not_allowed',
    400,
    `The path ${JSON.stringify(path.slice(0, 200))} has a backslash, an encoded slash or a dot segment.`,
  )

/**
 * Who may read the entry point's operational routes (/ready, /metrics): a peer whose own address is in
 * `networks` (`loopback`, or addresses and CIDRs) that did not come through a proxy, or anyone with the ops
 * token. A proxy in front (an ingress, a load balancer) adds X-Forwarded-For, so the public never qualifies.
 */
export function opsAccess(networks: string, token: string | undefined) {
  const allowed = new BlockList()
  for (const entry of networks
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    if (entry === 'loopback') {
      allowed.addSubnet('127.0.0.0', 8, 'ipv4')
      allowed.addAddress('::1', 'ipv6')
      continue
    }
    const [address = '', bits] = entry.split('/')
    const family = isIP(address) === 6 ? 'ipv6' : 'ipv4'
    if (bits === undefined) allowed.addAddress(address, family)
    else allowed.addSubnet(address, Number(bits), family)
  }
  return (peer: string | undefined, headers: Record<string, string | string[] | undefined>): boolean => {
    if (token && sameSecret(headers.authorization, `Bearer ${token}`)) return true
    if (headers['x-forwarded-for'] !== undefined || headers.forwarded !== undefined) return false
    if (!peer) return false
    const v4 = peer.startsWith('::ffff:') ? peer.slice(7) : peer
    return isIP(v4) === 4 ? allowed.check(v4, 'ipv4') : allowed.check(peer, 'ipv6')
  }
}

function sameSecret(given: string | string[] | undefined, wanted: string): boolean {
  if (typeof given !== 'string') return false
  const a = Buffer.from(given)
  const b = Buffer.from(wanted)
  return a.length === b.length && timingSafeEqual(a, b)
}
