import { createHmac } from 'node:crypto';
import { backoffMs, signatureHeader } from './webhook-dispatcher';
import { isPublicAddress, resolveDeliveryAddress, validateWebhookUrl } from './webhook-url';

describe('webhook URLs (R15)', () => {
  it.each([
    '127.0.0.1',
    '10.0.0.5',
    '172.16.3.4',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    'fd00::1',
    'fe80::1',
    '::ffff:10.0.0.1',
    '::ffff:127.0.0.1',
    // The same, written in hex (as the URL parser prints it).
    '::ffff:7f00:1',
    '::FFFF:A9FE:A9FE',
    // IPv4-compatible (deprecated): ::a.b.c.d.
    '::7f00:1',
    '::127.0.0.1',
    '::a00:1',
    '::0.0.0.0',
    // NAT64 well-known prefix carrying a private address; the local-use prefix whatever it carries.
    '64:ff9b::7f00:1',
    '64:ff9b::192.168.0.1',
    '64:ff9b:1::808:808',
    // 6to4: the IPv4 address is bits 16–48.
    '2002:7f00:1::',
    '2002:a9fe:a9fe::1',
    '2002:c0a8:0101:1::1',
    // Teredo: the client's IPv4 address is the last 32 bits inverted (0x80ffffFE = 127.0.0.1), the server's bits 32–64.
    '2001:0:4136:e378:8000:63bf:80ff:fffe',
    '2001::5efe:f5ff:fffe',
    '2001:0:a00:1::5efe:f7f7',
    'fec0::1',
  ])('%s is not public', (address) => expect(isPublicAddress(address)).toBe(false));

  it.each([
    '93.184.216.34',
    '1.1.1.1',
    '2606:4700:4700::1111',
    '::ffff:8.8.8.8',
    '::ffff:808:808',
    '64:ff9b::808:808',
    '2002:808:808::1',
    // Teredo with a public server (65.54.227.120) and client (f7f7:f7f7 inverted: 8.8.8.8).
    '2001:0:4136:e378:8000:63bf:f7f7:f7f7',
  ])('%s is public', (address) => expect(isPublicAddress(address)).toBe(true));

  it('accepts a public https URL and drops the fragment', () => {
    expect(validateWebhookUrl(' https://hooks.example.com/byok?x=1#frag ', false).toString()).toBe('https://hooks.example.com/byok?x=1');
  });

  it.each([
    'http://hooks.example.com/x',
    'https://localhost/x',
    'https://api.localhost/x',
    'https://127.0.0.1/x',
    'https://[::1]/x',
    'https://[::7f00:1]/x',
    'https://[::127.0.0.1]/x',
    'https://[::ffff:127.0.0.1]/x',
    'https://[::ffff:7f00:1]/x',
    'https://[2002:7f00:1::]/x',
    'https://[64:ff9b::169.254.169.254]/x',
    'https://[2001:0:4136:e378:8000:63bf:80ff:fffe]/x',
    'https://LOCALHOST./x',
    'https://localhost./x',
    'https://localhost../x',
    'https://foo.localhost./x',
    'https://Foo.LocalHost/x',
    'https://127.0.0.1./x',
    'https://0x7f.1/x',
    'https://10.0.0.1/x',
    'https://u:p@hooks.example.com/x',
    'ftp://hooks.example.com/x',
    'nope',
  ])('refuses %s without private networks', (url) =>
    expect(() => validateWebhookUrl(url, false)).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) })),
  );

  it.each(['https://hooks.example.com./x', 'https://[2606:4700:4700::1111]/x', 'https://[2002:808:808::1]/x', 'https://8.8.8.8/x'])(
    'accepts the public %s',
    (url) => expect(validateWebhookUrl(url, false).protocol).toBe('https:'),
  );

  it('allows http and loopback with private networks, never credentials or other schemes', () => {
    expect(validateWebhookUrl('http://127.0.0.1:8080/hook', true).host).toBe('127.0.0.1:8080');
    expect(() => validateWebhookUrl('http://u:p@127.0.0.1/x', true)).toThrow();
    expect(() => validateWebhookUrl('file:///etc/passwd', true)).toThrow();
  });

  it('checks the address again at delivery time', async () => {
    await expect(resolveDeliveryAddress(new URL('https://127.0.0.1/x'), false)).rejects.toThrow(/private or reserved/);
    await expect(resolveDeliveryAddress(new URL('http://127.0.0.1/x'), true)).resolves.toEqual({ address: '127.0.0.1', family: 4 });
    // A name (not a literal) is resolved and every address it has is checked: localhost is loopback, however written.
    for (const url of ['https://localhost/x', 'https://LOCALHOST./x', 'https://[::7f00:1]/x', 'https://[2002:7f00:1::]/x']) {
      await expect(resolveDeliveryAddress(new URL(url), false)).rejects.toThrow(/private or reserved/);
    }
  });
});

describe('signing and retries', () => {
  it('signs exactly t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>', () => {
    const body = '{"id":"1","type":"TEST","createdAt":"2026-01-01T00:00:00.000Z","data":{}}';
    const expected = createHmac('sha256', 'whsec_test').update(`1767225600.${body}`).digest('hex');
    expect(signatureHeader('whsec_test', body, 1767225600)).toBe(`t=1767225600,v1=${expected}`);
  });

  it('backs off exponentially up to an hour', () => {
    expect([1, 2, 3, 4].map((attempt) => backoffMs(1000, attempt))).toEqual([1000, 2000, 4000, 8000]);
    expect(backoffMs(1000, 40)).toBe(3600_000);
  });
});
