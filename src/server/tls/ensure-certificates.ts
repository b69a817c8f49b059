import { X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import { readIfExists, writePrivateFile } from '../daemon/private-files.js';
import { issueCertificate } from './issue-certificate.js';

export interface ServingCertificates {
  caCert: string;
  cert: string;
  key: string;
}

const year = 365 * 24 * 3600 * 1000;

/**
 * The daemon's TLS material in the data directory: a CA made once (so the
 * kubeconfig keeps working across restarts) and a serving certificate it
 * signs for the names and IPs the server answers on, re-issued when those
 * change or expiry nears.
 */
export function ensureCertificates(dataDir: string, hosts: string[], nowMs: number): ServingCertificates {
  const caCertPath = join(dataDir, 'ca.crt');
  const caKeyPath = join(dataDir, 'ca.key');
  let caCert = readIfExists(caCertPath);
  let caKey = readIfExists(caKeyPath);
  const names = [...new Set(['localhost', '127.0.0.1', '::1', ...hosts])];
  const existing = { cert: readIfExists(join(dataDir, 'server.crt')), key: readIfExists(join(dataDir, 'server.key')) };
  if (caCert && caKey && existing.cert && existing.key && stillServes(existing.cert, caCert, names, nowMs)) {
    return { caCert, cert: existing.cert, key: existing.key };
  }
  if (!caCert || !caKey) {
    const ca = issueCertificate({ commonName: 'hooklet-ca', ca: true, notBeforeMs: nowMs - 60_000, notAfterMs: nowMs + 10 * year });
    caCert = ca.certPem;
    caKey = ca.keyPem;
    writePrivateFile(caKeyPath, caKey);
    writePrivateFile(caCertPath, caCert);
  }
  const serving = issueCertificate({
    commonName: 'hooklet',
    ca: false,
    hosts: names,
    notBeforeMs: nowMs - 60_000,
    notAfterMs: nowMs + year,
    issuer: { certPem: caCert, keyPem: caKey },
  });
  writePrivateFile(join(dataDir, 'server.key'), serving.keyPem);
  writePrivateFile(join(dataDir, 'server.crt'), serving.certPem);
  return { caCert, cert: serving.certPem, key: serving.keyPem };
}

/** The serving certificate is signed by this CA, names every host, and has more than 30 days left. */
function stillServes(certPem: string, caPem: string, names: string[], nowMs: number): boolean {
  try {
    const cert = new X509Certificate(certPem);
    const ca = new X509Certificate(caPem);
    if (!cert.checkIssued(ca) || !cert.verify(ca.publicKey)) return false;
    if (Date.parse(cert.validTo) - nowMs < 30 * 24 * 3600 * 1000) return false;
    return names.every((n) => (isIpLiteral(n) ? cert.checkIP(n) !== undefined : cert.checkHost(n) !== undefined));
  } catch {
    return false;
  }
}

/** Cheap on purpose (node:net's isIP compiles a costly regular expression): host names have no ':' and are not dotted quads. */
function isIpLiteral(h: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(h) || h.includes(':');
}
