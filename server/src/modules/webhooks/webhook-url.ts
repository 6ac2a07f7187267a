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
  // NAT64 local-use prefix (RFC 8215): operator-defined, may reach anything behind the translator.
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const) {
  NOT_PUBLIC.addSubnet(network, prefix, 'ipv6');
}

/** The 16 bytes of an IPv6 address (with or without an embedded dotted IPv4 tail); null when it is not one. */
function ipv6Bytes(address: string): number[] | null {
  if (isIP(address) !== 6) return null;
  let text = address.replace(/%.*$/, '');
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text)?.[1];
  if (dotted) {
    const [a = 0, b = 0, c = 0, d = 0] = dotted.split('.').map(Number);
    text = `${text.slice(0, -dotted.length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const groups = (part: string): string[] => (part === '' ? [] : part.split(':'));
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const all = [...left, ...Array.from({ length: 8 - left.length - right.length }, () => '0'), ...right];
  return all.flatMap((group) => {
    const value = parseInt(group, 16);
    return [value >> 8, value & 0xff];
  });
}

const ipv4At = (bytes: number[], offset: number, mask = 0): string =>
  bytes
    .slice(offset, offset + 4)
    .map((byte) => (byte ^ mask) & 0xff)
    .join('.');
const startsWith = (bytes: number[], prefix: number[]): boolean => prefix.every((byte, index) => bytes[index] === byte);

/**
 * The IPv4 addresses an IPv6 address carries and would be delivered to: IPv4-mapped (::ffff:0:0/96), IPv4-compatible
 * (::/96, deprecated), NAT64 (64:ff9b::/96), 6to4 (2002::/16, the relay's IPv4 in bits 16–48) and Teredo
 * (2001::/32: the server in bits 32–64, the client in the last 32 bits inverted). Empty for any other address.
 */
function embeddedIpv4(bytes: number[]): string[] {
  const zeros = (count: number): number[] => Array.from({ length: count }, () => 0);
  if (startsWith(bytes, [...zeros(10), 0xff, 0xff])) return [ipv4At(bytes, 12)];
  if (startsWith(bytes, zeros(12))) return [ipv4At(bytes, 12)];
  if (startsWith(bytes, [0x00, 0x64, 0xff, 0x9b, ...zeros(8)])) return [ipv4At(bytes, 12)];
  if (startsWith(bytes, [0x20, 0x02])) return [ipv4At(bytes, 2)];
  if (startsWith(bytes, [0x20, 0x01, 0x00, 0x00])) return [ipv4At(bytes, 4), ipv4At(bytes, 12, 0xff)];
  return [];
}

/**
 * True for an address on the public internet; false for loopback, private, link-local and reserved ranges — and
 * for an IPv6 address whose embedded IPv4 address (mapped, compatible, NAT64, 6to4, Teredo) is one of those.
 */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  if (family === 4) return !NOT_PUBLIC.check(address, 'ipv4');
  const bytes = ipv6Bytes(address);
  if (!bytes) return false;
  const carried = embeddedIpv4(bytes);
  if (carried.length > 0) return carried.every((ipv4) => !NOT_PUBLIC.check(ipv4, 'ipv4'));
  return !NOT_PUBLIC.check(address, 'ipv6');
}

const bareHost = (hostname: string): string => hostname.replace(/^\[|\]$/g, '');

const isLocalhostName = (host: string): boolean => host === 'localhost' || host.endsWith('.localhost');

/** A host name as DNS sees it: lower case, without the root's trailing dot (`LOCALHOST.` is `localhost`). */
const canonicalHost = (hostname: string): string => bareHost(hostname).toLowerCase().replace(/\.+$/, '');

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
    const host = canonicalHost(url.hostname);
    if (host === '' || isLocalhostName(host) || (isIP(host) !== 0 && !isPublicAddress(host))) {
      throw badInput('url must point at a public address (private and loopback addresses need WEBHOOK_ALLOW_PRIVATE_NETWORKS=true)', 'url');
    }
  }
  return url;
}

class WebhookAddressError extends Error {
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
  // Names that mean this machine are refused before any lookup: a resolver may answer them with anything.
  if (!allowPrivateNetworks && isLocalhostName(canonicalHost(host))) {
    throw new WebhookAddressError(`${host} resolves to a private or reserved address (loopback); not delivered`);
  }
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
