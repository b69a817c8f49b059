import { describe, expect, it } from 'vitest';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureCertificates } from './ensure-certificates.js';
import { issueCertificate } from './issue-certificate.js';
import { legacyCa } from './legacy-ca.fixture.js';

function withDir(fn: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'hooklet-tls-'));
  try {
    fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const now = Date.parse('2026-01-01T00:00:00Z');

describe('ensureCertificates', () => {
  it('makes a CA once, a serving cert for loopback it signs, keeps keys 0600, and reuses them', () => {
    withDir((dir) => {
      const first = ensureCertificates(dir, [], now);
      const cert = new X509Certificate(first.cert);
      expect(cert.checkIssued(new X509Certificate(first.caCert))).toBe(true);
      expect(cert.verify(new X509Certificate(first.caCert).publicKey)).toBe(true);
      expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
      expect(cert.checkIP('::1')).toBe('::1');
      expect(cert.checkHost('localhost')).toBe('localhost');
      expect(new X509Certificate(first.caCert).ca).toBe(true);
      for (const f of ['ca.key', 'server.key']) expect(statSync(join(dir, f)).mode & 0o777).toBe(0o600);

      const again = ensureCertificates(dir, [], now);
      expect(again).toEqual(first);
      const withHost = ensureCertificates(dir, ['10.1.2.3'], now);
      expect(withHost.caCert).toBe(first.caCert);
      expect(withHost.cert).not.toBe(first.cert);
      expect(new X509Certificate(withHost.cert).checkIP('10.1.2.3')).toBe('10.1.2.3');
      expect(readFileSync(join(dir, 'server.crt'), 'utf8')).toBe(withHost.cert);
    });
  });

  it('keeps a CA an earlier version made, and signs the new serving certificate with it', () => {
    withDir((dir) => {
      writeFileSync(join(dir, 'ca.crt'), legacyCa.certPem);
      writeFileSync(join(dir, 'ca.key'), legacyCa.keyPem, { mode: 0o600 });
      const tls = ensureCertificates(dir, [], now);
      expect(tls.caCert).toBe(legacyCa.certPem);
      const ca = new X509Certificate(legacyCa.certPem);
      expect(new X509Certificate(tls.cert).checkIssued(ca)).toBe(true);
      expect(new X509Certificate(tls.cert).verify(ca.publicKey)).toBe(true);
    });
  });

  it('re-issues a serving certificate that this CA did not sign, or that expires within 30 days', () => {
    withDir((dir) => {
      const first = ensureCertificates(dir, [], now);
      // Same issuer name, another key: names match, the signature does not.
      const impostorCa = issueCertificate({ commonName: 'hooklet-ca', ca: true, notBeforeMs: now, notAfterMs: now + 1e12 });
      const forged = issueCertificate({ commonName: 'hooklet', ca: false, hosts: ['localhost', '127.0.0.1', '::1'], notBeforeMs: now, notAfterMs: now + 1e11, issuer: impostorCa });
      writeFileSync(join(dir, 'server.crt'), forged.certPem);
      writeFileSync(join(dir, 'server.key'), forged.keyPem);
      const fixed = ensureCertificates(dir, [], now);
      expect(fixed.cert).not.toBe(forged.certPem);
      expect(new X509Certificate(fixed.cert).verify(new X509Certificate(first.caCert).publicKey)).toBe(true);

      const later = now + 340 * 24 * 3600 * 1000;
      const renewed = ensureCertificates(dir, [], later);
      expect(renewed.cert).not.toBe(fixed.cert);
      expect(Date.parse(new X509Certificate(renewed.cert).validTo)).toBeGreaterThan(later + 300 * 24 * 3600 * 1000);
    });
  });
});
