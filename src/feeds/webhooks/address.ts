import { lookup } from 'node:dns/promises'
import { BlockList, isIP } from 'node:net'

/**
 * Where a webhook may be sent (SSRF): https to an address on the public internet. Private,
 * loopback, link-local, shared, documentation, multicast and reserved ranges are refused,
 * after resolving the name, and the delivery connects to the address that was checked, so a
 * name cannot resolve to a public address here and a private one at connection time.
 * WEBHOOK_ALLOW_PRIVATE=true (development and tests only) allows them, and http.
 */

const BLOCKED = new BlockList()
for (const [net, prefix] of [['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16],
  ['172.16.0.0', 12], ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.88.99.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15],
  ['198.51.100.0', 24], ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4]] as const) BLOCKED.addSubnet(net, prefix, 'ipv4')
for (const [net, prefix] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['fec0::', 10], ['ff00::', 8], ['64:ff9b::', 96],
  ['64:ff9b:1::', 48], ['100::', 64], ['2001:db8::', 32], ['2001::', 23], ['2002::', 16]] as const) BLOCKED.addSubnet(net, prefix, 'ipv6')

/** An address no webhook may reach without WEBHOOK_ALLOW_PRIVATE. */
export function isNonPublicAddress(address: string): boolean {
  const family = isIP(address)
  if (family === 4) return BLOCKED.check(address, 'ipv4')
  if (family !== 6) return true
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)
  if (mapped) return BLOCKED.check(mapped[1], 'ipv4')
  return BLOCKED.check(address, 'ipv6')
}

export type Target = { ok: true; url: URL; address: string; family: 4 | 6 } | { ok: false; reason: string }

/** The URL's checked address, or why it may not be used. */
export async function webhookTarget(text: string, allowPrivate: boolean): Promise<Target> {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    return { ok: false, reason: 'is not a URL' }
  }
  if (url.protocol !== 'https:' && !(allowPrivate && url.protocol === 'http:')) return { ok: false, reason: 'must be an https:// URL' }
  if (url.username || url.password) return { ok: false, reason: 'must not carry a user name or password' }
  const host = url.hostname.replace(/^\[|\]$/g, '')
  let addresses: Array<{ address: string; family: number }>
  try {
    addresses = isIP(host) ? [{ address: host, family: isIP(host) }] : await lookup(host, { all: true, verbatim: true })
  } catch {
    return { ok: false, reason: `names a host that does not resolve (${host})` }
  }
  if (addresses.length === 0) return { ok: false, reason: `names a host that does not resolve (${host})` }
  if (!allowPrivate && addresses.some((a) => isNonPublicAddress(a.address))) {
    return { ok: false, reason: 'resolves to a private, loopback, link-local or reserved address, which webhooks may not reach' }
  }
  return { ok: true, url, address: addresses[0].address, family: addresses[0].family === 6 ? 6 : 4 }
}
