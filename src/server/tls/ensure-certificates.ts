import { X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import { readIfExists, writePrivateFile } from '../daemon/private-files.js';

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
export async function ensureCertificates(dataDir: string, hosts: string[], nowMs: number): Promise<ServingCertificates> {
  const caCertPath = join(dataDir, 'ca.crt');
  const caKeyPath = join(dataDir, 'ca.key');
  let caCert = readIfExists(caCertPath);
  let caKey = readIfExists(caKeyPath);
  const names = [...new Set(['localhost', '127.0.0.1', '::1', ...hosts])];
  const existing = { cert: readIfExists(join(dataDir, 'server.crt')), key: readIfExists(join(dataDir, 'server.key')) };
  if (caCert && caKey && existing.cert && existing.key && stillServes(existing.cert, caCert, names, nowMs)) {
    return { caCert, cert: existing.cert, key: existing.key };
  }
  // Loaded only when something must be issued: it is the slowest import of the daemon.
  const { generate } = await import('selfsigned');
  if (!caCert || !caKey) {
    const ca = await generate([{ name: 'commonName', value: 'hooklet-ca' }], {
      keyType: 'ec',
      curve: 'P-256',
      algorithm: 'sha256',
      notBeforeDate: new Date(nowMs - 60_000),
      notAfterDate: new Date(nowMs + 10 * year),
      extensions: [
        { name: 'basicConstraints', cA: true, critical: true },
        { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
      ],
    });
    caCert = ca.cert;
    caKey = ca.private;
    writePrivateFile(caKeyPath, caKey);
    writePrivateFile(caCertPath, caCert);
  }
  const altNames = names.map((h) =>
    isIp(h) ? { type: 7 as const, ip: h } : { type: 2 as const, value: h },
  );
  const serving = await generate([{ name: 'commonName', value: 'hooklet' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: new Date(nowMs - 60_000),
    notAfterDate: new Date(nowMs + year),
    ca: { key: caKey, cert: caCert },
    extensions: [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames },
    ],
  });
  writePrivateFile(join(dataDir, 'server.key'), serving.private);
  writePrivateFile(join(dataDir, 'server.crt'), serving.cert);
  return { caCert, cert: serving.cert, key: serving.private };
}

/** The serving certificate is signed by this CA, names every host, and has more than 30 days left. */
function stillServes(certPem: string, caPem: string, names: string[], nowMs: number): boolean {
  try {
    const cert = new X509Certificate(certPem);
    if (!cert.checkIssued(new X509Certificate(caPem))) return false;
    if (Date.parse(cert.validTo) - nowMs < 30 * 24 * 3600 * 1000) return false;
    return names.every((n) => (isIp(n) ? cert.checkIP(n) !== undefined : cert.checkHost(n) !== undefined));
  } catch {
    return false;
  }
}

function isIp(h: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(h) || h.includes(':');
}
