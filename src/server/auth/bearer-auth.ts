import { timingSafeEqual } from 'node:crypto';

/**
 * True when the Authorization header carries exactly `Bearer <token>`.
 * Constant-time on the token so the comparison leaks nothing about it.
 */
export function hasValidBearer(authorization: string | undefined, token: string): boolean {
  if (!authorization) return false;
  const m = /^Bearer\s+(.+)$/i.exec(authorization.trim());
  if (!m) return false;
  const given = Buffer.from(m[1]!);
  const want = Buffer.from(token);
  return given.length === want.length && timingSafeEqual(given, want);
}
