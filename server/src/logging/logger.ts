import { PROVIDER_IDS, PROVIDERS } from '@byok/shared';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<LogLevel | 'silent', number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export type LogSink = (line: string) => void;

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

// Anything that looks like a provider key or a bearer token is cut out of log lines, as a last line of
// defence: callers must never pass secrets, and the leak-sweep tests prove they do not.
const KEY_PREFIXES = [...new Set(PROVIDER_IDS.flatMap((id) => PROVIDERS[id].keyPrefixes)), 'byok_', 'byoks_'];
const SECRET_PATTERN = new RegExp(`(${KEY_PREFIXES.map((prefix) => prefix.replace(/[-/\\^$*+?.()|[\]{}]/g, '\\$&')).join('|')})[A-Za-z0-9_\\-.~+/=:]{6,}`, 'g');

/** Replaces key-like substrings with a marker. */
export function redactSecrets(text: string): string {
  return text.replace(SECRET_PATTERN, (_match, prefix: string) => `${prefix}[REDACTED]`);
}

/** JSON-lines logger; one object per line, redacted. */
export function createLogger(level: LogLevel | 'silent', sink: LogSink = (line) => process.stdout.write(`${line}\n`)): Logger {
  const write = (lineLevel: LogLevel, message: string, fields?: Record<string, unknown>): void => {
    if (ORDER[lineLevel] < ORDER[level]) return;
    const line = JSON.stringify({ time: new Date().toISOString(), level: lineLevel, message, ...fields });
    sink(redactSecrets(line));
  };
  return {
    debug: (message, fields) => write('debug', message, fields),
    info: (message, fields) => write('info', message, fields),
    warn: (message, fields) => write('warn', message, fields),
    error: (message, fields) => write('error', message, fields),
  };
}
