import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { issuerFields } from './certificate-fields.js';
import { issueCertificate, type IssuedCertificate } from './issue-certificate.js';
import { legacyCa } from './legacy-ca.fixture.js';

const t0 = Date.parse('2026-01-01T00:00:00Z');
const year = 365 * 24 * 3600 * 1000;

const hasOpenssl = spawnSync('openssl', ['version']).status === 0;

function makeCa(): IssuedCertificate {
  return issueCertificate({ commonName: 'hooklet-ca', ca: true, notBeforeMs: t0, notAfterMs: t0 + 30 * year });
}

function makeServing(issuer: IssuedCertificate, hosts = ['localhost', '127.0.0.1', '::1']): IssuedCertificate {
  return issueCertificate({ commonName: 'hooklet', ca: false, hosts, notBeforeMs: t0, notAfterMs: t0 + year, issuer });
}

/** One TLS handshake and request against `serving`, trusting only `caPem`, through OpenSSL's chain verification. */
async function handshake(serving: IssuedCertificate, caPem: string, host: string, servername?: string): Promise<number> {
  const server = createServer({ cert: serving.certPem, key: serving.keyPem }, (_req, res) => res.end('ok'));
  await new Promise<void>((r) => server.listen(0, host, r));
  try {
    const port = (server.address() as AddressInfo).port;
    return await new Promise<number>((resolve, reject) => {
      const req = request({ host, port, path: '/', ca: caPem, ...(servername ? { servername } : {}), agent: false }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end();
    });
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
}

function opensslVerify(caPem: string, certPem: string, purpose: string[], strict = true): { status: number | null; out: string } {
  const dir = mkdtempSync(join(tmpdir(), 'hooklet-x509-'));
  try {
    writeFileSync(join(dir, 'ca.pem'), caPem);
    writeFileSync(join(dir, 'cert.pem'), certPem);
    const r = spawnSync('openssl', ['verify', ...(strict ? ['-x509_strict'] : []), ...purpose, '-attime', String((t0 + 1000) / 1000), '-CAfile', join(dir, 'ca.pem'), join(dir, 'cert.pem')], { encoding: 'utf8' });
    return { status: r.status, out: r.stdout + r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('issueCertificate', () => {
  it('makes a self-signed P-256 CA with the CA extensions and the requested validity', () => {
    const ca = makeCa();
    const cert = new X509Certificate(ca.certPem);
    expect(cert.ca).toBe(true);
    expect(cert.subject).toBe('CN=hooklet-ca');
    expect(cert.issuer).toBe('CN=hooklet-ca');
    expect(cert.verify(cert.publicKey)).toBe(true);
    expect(cert.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    expect(Date.parse(cert.validFrom)).toBe(t0);
    expect(Date.parse(cert.validTo)).toBe(t0 + 30 * year); // past 2049: GeneralizedTime
    expect(ca.keyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(cert.toLegacyObject().ext_key_usage).toBeUndefined();
  });

  it('issues a server certificate for DNS names and IPv4/IPv6 addresses that the CA verifies', () => {
    const ca = makeCa();
    const serving = makeServing(ca, ['localhost', 'hooklet.test', '127.0.0.1', '10.1.2.3', '::1', 'fe80::1:2', '::ffff:10.0.0.1']);
    const cert = new X509Certificate(serving.certPem);
    const caCert = new X509Certificate(ca.certPem);
    expect(cert.ca).toBe(false);
    expect(cert.checkIssued(caCert)).toBe(true);
    expect(cert.verify(caCert.publicKey)).toBe(true);
    expect(cert.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
    expect(cert.subjectAltName).toBe(
      'DNS:localhost, DNS:hooklet.test, IP Address:127.0.0.1, IP Address:10.1.2.3, IP Address:0:0:0:0:0:0:0:1, IP Address:FE80:0:0:0:0:0:1:2, IP Address:0:0:0:0:0:FFFF:A00:1',
    );
    expect(cert.checkHost('hooklet.test')).toBe('hooklet.test');
    expect(cert.checkIP('10.1.2.3')).toBe('10.1.2.3');
    expect(cert.checkIP('10.9.9.9')).toBeUndefined();
  });

  it('gives each certificate its own positive serial and links it to its CA by key identifier', () => {
    const ca = makeCa();
    const a = new X509Certificate(makeServing(ca).certPem);
    const b = new X509Certificate(makeServing(ca).certPem);
    expect(a.serialNumber).not.toBe(b.serialNumber);
    expect(parseInt(a.serialNumber[0]!, 16)).toBeLessThan(8);
    const caKeyId = issuerFields(Buffer.from(new X509Certificate(ca.certPem).raw)).subjectKeyId!;
    const point = new X509Certificate(ca.certPem).publicKey.export({ format: 'der', type: 'spki' }).subarray(-65);
    expect(caKeyId).toEqual(createHash('sha1').update(point).digest());
    expect(a.toLegacyObject()).toBeDefined();
  });

  it('serves TLS that a client trusting only the CA accepts, by IP and by name', async () => {
    const ca = makeCa();
    const serving = makeServing(ca);
    expect(await handshake(serving, ca.certPem, '127.0.0.1')).toBe(200);
    expect(await handshake(serving, ca.certPem, '127.0.0.1', 'localhost')).toBe(200);
    await expect(handshake(serving, makeCa().certPem, '127.0.0.1')).rejects.toThrow();
  });

  it('signs with a CA made by the earlier selfsigned-based versions (its subject bytes copied, its key named though it has no identifier)', async () => {
    const serving = makeServing(legacyCa);
    const cert = new X509Certificate(serving.certPem);
    const ca = new X509Certificate(legacyCa.certPem);
    expect(issuerFields(Buffer.from(ca.raw)).subjectKeyId).toBeUndefined();
    expect(cert.checkIssued(ca)).toBe(true);
    expect(cert.verify(ca.publicKey)).toBe(true);
    expect(await handshake(serving, legacyCa.certPem, '127.0.0.1')).toBe(200);
  });

  it.skipIf(!hasOpenssl)('passes openssl verify -x509_strict, as a CA and for the sslserver purpose', () => {
    const ca = makeCa();
    expect(opensslVerify(ca.certPem, ca.certPem, []).status).toBe(0);
    const r = opensslVerify(ca.certPem, makeServing(ca).certPem, ['-purpose', 'sslserver']);
    expect(r.out).toContain(': OK');
    expect(r.status).toBe(0);
    // Not strict: the legacy CA itself lacks the subjectKeyIdentifier strict mode wants of a CA.
    expect(opensslVerify(legacyCa.certPem, makeServing(legacyCa).certPem, ['-purpose', 'sslserver'], false).status).toBe(0);
  });
});
