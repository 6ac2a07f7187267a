import { badInput } from '../../errors';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './passwords';

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Trim + NFKC + lower-case: the one spelling an email is stored and looked up under. */
export function normaliseEmail(raw: string): string {
  return raw.normalize('NFKC').trim().toLowerCase();
}

export function validateEmail(raw: string): string {
  const email = normaliseEmail(raw);
  if (email.length === 0) throw badInput('Email is required', 'email');
  if (email.length > 254 || !EMAIL_PATTERN.test(email)) throw badInput('Enter a valid email address', 'email');
  return email;
}

export function validatePassword(password: string): string {
  if (password.length < PASSWORD_MIN_LENGTH || password.length > PASSWORD_MAX_LENGTH) {
    throw badInput(`Password must be ${PASSWORD_MIN_LENGTH}–${PASSWORD_MAX_LENGTH} characters`, 'password');
  }
  return password;
}

/** Names of people, workspaces and tokens: trimmed, 1–100 characters, no control characters. */
export function validateName(raw: string, field = 'name', what = 'Name'): string {
  const name = raw.normalize('NFKC').trim();
  if (name.length === 0) throw badInput(`${what} is required`, field);
  if (name.length > 100) throw badInput(`${what} must be at most 100 characters`, field);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) throw badInput(`${what} must not contain control characters`, field);
  return name;
}
