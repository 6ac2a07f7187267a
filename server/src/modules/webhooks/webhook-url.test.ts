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
  ])('%s is not public', (address) => expect(isPublicAddress(address)).toBe(false));

  it.each(['93.184.216.34', '1.1.1.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'])('%s is public', (address) => expect(isPublicAddress(address)).toBe(true));

  it('accepts a public https URL and drops the fragment', () => {
    expect(validateWebhookUrl(' https://hooks.example.com/byok?x=1#frag ', false).toString()).toBe('https://hooks.example.com/byok?x=1');
  });

  it.each([
    'http://hooks.example.com/x',
    'https://localhost/x',
    'https://api.localhost/x',
    'https://127.0.0.1/x',
    'https://[::1]/x',
    'https://10.0.0.1/x',
    'https://u:p@hooks.example.com/x',
    'ftp://hooks.example.com/x',
    'nope',
  ])('refuses %s without private networks', (url) =>
    expect(() => validateWebhookUrl(url, false)).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) })),
  );

  it('allows http and loopback with private networks, never credentials or other schemes', () => {
    expect(validateWebhookUrl('http://127.0.0.1:8080/hook', true).host).toBe('127.0.0.1:8080');
    expect(() => validateWebhookUrl('http://u:p@127.0.0.1/x', true)).toThrow();
    expect(() => validateWebhookUrl('file:///etc/passwd', true)).toThrow();
  });

  it('checks the address again at delivery time', async () => {
    await expect(resolveDeliveryAddress(new URL('https://127.0.0.1/x'), false)).rejects.toThrow(/private or reserved/);
    await expect(resolveDeliveryAddress(new URL('http://127.0.0.1/x'), true)).resolves.toEqual({ address: '127.0.0.1', family: 4 });
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
