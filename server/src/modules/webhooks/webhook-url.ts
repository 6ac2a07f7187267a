import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { badInput } from '../../errors';

const MAX_URL_LENGTH = 2048;

// Loopback, private, link-local (cloud metadata at 169.254.169.254), carrier-grade NAT, multicast, reserved.
const NOT_PUBLIC = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  NOT_PUBLIC.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  NOT_PUBLIC.addSubnet(network, prefix, 'ipv6');
}

/** True for an address on the public internet; false for loopback, private, link-local and reserved ranges. */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  if (family === 6) {
    // IPv4-mapped (::ffff:10.0.0.1) is judged as the IPv4 address it carries.
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    const mappedIpv4 = mapped?.[1];
    if (mappedIpv4) return isPublicAddress(mappedIpv4);
    return !NOT_PUBLIC.check(address, 'ipv6');
  }
  return !NOT_PUBLIC.check(address, 'ipv4');
}

const bareHost = (hostname: string): string => hostname.replace(/^\[|\]$/g, '');

/**
 * Checks a webhook URL when it is registered (R15): https only, no credentials, and no loopback/private
 * host written literally — unless private networks are allowed, which also allows http. The address a host
 * name resolves to is checked again at every delivery (resolveDeliveryAddress).
 */
export function validateWebhookUrl(raw: string, allowPrivateNetworks: boolean): URL {
  const text = raw.trim();
  if (text.length === 0 || text.length > MAX_URL_LENGTH) throw badInput(`url must be 1–${MAX_URL_LENGTH} characters`, 'url');
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw badInput('url must be an absolute URL such as https://hooks.example.com/byok', 'url');
  }
  const allowedProtocols = allowPrivateNetworks ? ['https:', 'http:'] : ['https:'];
  if (!allowedProtocols.includes(url.protocol)) {
    throw badInput(allowPrivateNetworks ? 'url must use https or http' : 'url must use https (http needs WEBHOOK_ALLOW_PRIVATE_NETWORKS=true)', 'url');
  }
  if (url.username || url.password) throw badInput('url must not contain a user name or password', 'url');
  url.hash = '';
  if (!allowPrivateNetworks) {
    const host = bareHost(url.hostname).toLowerCase();
    if (host === 'localhost' || host.endsWith('.localhost') || (isIP(host) !== 0 && !isPublicAddress(host))) {
      throw badInput('url must point at a public address (private and loopback addresses need WEBHOOK_ALLOW_PRIVATE_NETWORKS=true)', 'url');
    }
  }
  return url;
}

export class WebhookAddressError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookAddressError';
  }
}

/**
 * Resolves the URL's host once for a delivery and checks every address it has; the request is then made to
 * exactly the address checked, so a DNS answer that changes between check and connect cannot redirect it.
 */
export async function resolveDeliveryAddress(url: URL, allowPrivateNetworks: boolean): Promise<{ address: string; family: 4 | 6 }> {
  const host = bareHost(url.hostname);
  const literal = isIP(host);
  const addresses = literal !== 0 ? [{ address: host, family: literal }] : await lookup(host, { all: true, verbatim: true });
  const [first] = addresses;
  if (!first) throw new WebhookAddressError(`${host} has no address`);
  if (!allowPrivateNetworks) {
    const blocked = addresses.find((entry) => !isPublicAddress(entry.address));
    if (blocked) throw new WebhookAddressError(`${host} resolves to a private or reserved address (${blocked.address}); not delivered`);
  }
  return { address: first.address, family: first.family === 6 ? 6 : 4 };
}
