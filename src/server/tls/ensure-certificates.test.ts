import { describe, expect, it } from 'vitest';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureCertificates } from './ensure-certificates.js';

describe('ensureCertificates', () => {
  it('makes a CA once, a serving cert for loopback it signs, keeps keys 0600, and reuses them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hooklet-tls-'));
    try {
      const now = Date.parse('2026-01-01T00:00:00Z');
      const first = await ensureCertificates(dir, [], now);
      const cert = new X509Certificate(first.cert);
      expect(cert.checkIssued(new X509Certificate(first.caCert))).toBe(true);
      expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
      expect(cert.checkHost('localhost')).toBe('localhost');
      expect(new X509Certificate(first.caCert).ca).toBe(true);
      for (const f of ['ca.key', 'server.key']) expect(statSync(join(dir, f)).mode & 0o777).toBe(0o600);

      const again = await ensureCertificates(dir, [], now);
      expect(again).toEqual(first);
      const withHost = await ensureCertificates(dir, ['10.1.2.3'], now);
      expect(withHost.caCert).toBe(first.caCert);
      expect(withHost.cert).not.toBe(first.cert);
      expect(new X509Certificate(withHost.cert).checkIP('10.1.2.3')).toBe('10.1.2.3');
      expect(readFileSync(join(dir, 'server.crt'), 'utf8')).toBe(withHost.cert);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
