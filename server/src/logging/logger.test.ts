import { createLogger, redactSecrets } from './logger';

describe('logger', () => {
  it('writes one JSON object per line, at or above its level', () => {
    const lines: string[] = [];
    const logger = createLogger('info', (line) => lines.push(line));
    logger.debug('hidden');
    logger.info('shown', { userId: 'u1' });
    logger.error('also shown');
    expect(lines.map((line) => JSON.parse(line) as Record<string, unknown>)).toEqual([
      expect.objectContaining({ level: 'info', message: 'shown', userId: 'u1' }),
      expect.objectContaining({ level: 'error', message: 'also shown' }),
    ]);
  });

  it('silent writes nothing', () => {
    const lines: string[] = [];
    createLogger('silent', (line) => lines.push(line)).error('nothing');
    expect(lines).toEqual([]);
  });

  it.each([
    ['an API token', 'byok_Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA'],
    ['a session token', 'byoks_Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA'],
    ['an OpenAI key', 'sk-proj-abcdefghijklmnopqrstuvwxyz012345'],
    ['an Anthropic key', 'sk-ant-api03-abcdefghijklmnopqrstuvwxyz'],
  ])('redacts %s that slipped into a message or a field', (_kind, secret) => {
    const lines: string[] = [];
    createLogger('debug', (line) => lines.push(line)).warn(`header was Bearer ${secret}`, { detail: { nested: secret } });
    expect(lines.join('\n')).not.toContain(secret);
    expect(lines.join('\n')).toContain('[REDACTED]');
    expect(redactSecrets(`x ${secret} y`)).toMatch(/^x .*\[REDACTED\] y$/);
  });

  it('leaves ordinary text alone', () => {
    expect(redactSecrets('user byok-admin signed in; risk-free task-queue')).toBe('user byok-admin signed in; risk-free task-queue');
  });
});
