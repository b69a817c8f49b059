import { createPrivateKey, generateKeyPairSync, randomBytes, sign, X509Certificate, type KeyObject } from 'node:crypto';
import { issuerFields, publicKeyId } from './certificate-fields.js';
import { der } from './der.js';

export interface CertificateRequest {
  commonName: string;
  notBeforeMs: number;
  notAfterMs: number;
  /** A CA (may sign certificates), or else a TLS server certificate for `hosts`. */
  ca: boolean;
  /** DNS names and IP addresses the server answers on (subjectAltName). */
  hosts?: string[];
  /** The signing CA, PEM; absent: self-signed. */
  issuer?: { certPem: string; keyPem: string };
}

export interface IssuedCertificate {
  certPem: string;
  /** PKCS#8 PEM of a fresh P-256 key. */
  keyPem: string;
}

const OID = {
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  commonName: '2.5.4.3',
  subjectKeyId: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  authorityKeyId: '2.5.29.35',
  extKeyUsage: '2.5.29.37',
  serverAuth: '1.3.6.1.5.5.7.3.1',
};

const KEY_USAGE = { digitalSignature: 0, keyCertSign: 5, cRLSign: 6 };

/**
 * Issues an X.509 v3 certificate with a new ECDSA P-256 key, built with
 * Node's own crypto (key generation and signing take about a millisecond;
 * a JavaScript X.509/ASN.1 library took a quarter of a second to load).
 */
export function issueCertificate(req: CertificateRequest): IssuedCertificate {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const keyId = publicKeyId(spki);
  const subject = der.sequence(der.set(der.sequence(der.oid(OID.commonName), der.utf8String(req.commonName))));

  let issuerName = subject;
  let signingKey: KeyObject = privateKey;
  let authorityKeyId: Buffer | undefined; // self-signed: none
  if (req.issuer) {
    const fields = issuerFields(Buffer.from(new X509Certificate(req.issuer.certPem).raw));
    issuerName = fields.subject;
    // A CA without a subjectKeyIdentifier (earlier versions made them) is named by its key all the same.
    authorityKeyId = fields.keyId;
    signingKey = createPrivateKey(req.issuer.keyPem);
  }
  const signatureAlgorithm = signatureAlgorithmFor(signingKey);

  const extensions = req.ca
    ? [
        extension(OID.basicConstraints, true, der.sequence(der.boolean(true))),
        extension(OID.keyUsage, true, der.namedBits([KEY_USAGE.digitalSignature, KEY_USAGE.keyCertSign, KEY_USAGE.cRLSign])),
      ]
    : [
        // cA FALSE is the DEFAULT, so DER leaves it out: an empty SEQUENCE.
        extension(OID.basicConstraints, true, der.sequence()),
        extension(OID.keyUsage, true, der.namedBits([KEY_USAGE.digitalSignature])),
        extension(OID.extKeyUsage, false, der.sequence(der.oid(OID.serverAuth))),
        extension(OID.subjectAltName, false, der.sequence(...(req.hosts ?? []).map(generalName))),
      ];
  extensions.push(extension(OID.subjectKeyId, false, der.octetString(keyId)));
  if (authorityKeyId) extensions.push(extension(OID.authorityKeyId, false, der.sequence(der.implicitPrimitive(0, authorityKeyId))));

  const serial = randomBytes(16);
  serial[0]! &= 0x7f; // positive, at most 16 octets (RFC 5280 §4.1.2.2)
  const tbs = der.sequence(
    der.explicit(0, der.smallInteger(2)), // v3
    der.unsignedInteger(serial),
    signatureAlgorithm,
    issuerName,
    der.sequence(der.time(req.notBeforeMs), der.time(req.notAfterMs)),
    subject,
    spki,
    der.explicit(3, der.sequence(...extensions)),
  );
  const signature = sign('sha256', tbs, signingKey);
  const cert = der.sequence(tbs, signatureAlgorithm, der.bitString(signature));
  return { certPem: pem('CERTIFICATE', cert), keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string };
}

/** The signatureAlgorithm for the CA's key. */
function signatureAlgorithmFor(key: KeyObject): Buffer {
  // Every hooklet CA has had a P-256 key; anything else was not made by hooklet.
  if (key.asymmetricKeyType !== 'ec') throw new Error(`cannot sign certificates with a ${key.asymmetricKeyType ?? 'unknown'} CA key (hooklet's CA keys are ECDSA P-256)`);
  return der.sequence(der.oid(OID.ecdsaWithSha256));
}

function extension(oid: string, critical: boolean, value: Buffer): Buffer {
  // critical DEFAULT FALSE: DER omits it unless true.
  return critical ? der.sequence(der.oid(oid), der.boolean(true), der.octetString(value)) : der.sequence(der.oid(oid), der.octetString(value));
}

function generalName(host: string): Buffer {
  const ip = ipAddressBytes(host);
  // iPAddress [7] (4 or 16 octets), else dNSName [2] (IA5String).
  return ip ? der.implicitPrimitive(7, ip) : der.implicitPrimitive(2, Buffer.from(host, 'ascii'));
}

/**
 * The octets of an IPv4 or IPv6 literal (`::`, a dotted IPv4 tail, a zone
 * dropped), or undefined for anything else. By hand: node:net's isIP compiles
 * a regular expression that cost the daemon's start 7 ms.
 */
function ipAddressBytes(host: string): Buffer | undefined {
  const v4 = parseIPv4(host);
  if (v4) return Buffer.from(v4);
  if (!host.includes(':')) return undefined;
  let text = host.replace(/%.*$/, '');
  const tail = /:(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (tail) {
    const q = parseIPv4(tail[1]!);
    if (!q) return undefined;
    text = `${text.slice(0, -tail[1]!.length)}${((q[0]! << 8) | q[1]!).toString(16)}:${((q[2]! << 8) | q[3]!).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (s: string): string[] => (s === '' ? [] : s.split(':'));
  const left = groups(halves[0]!);
  const right = halves.length === 2 ? groups(halves[1]!) : [];
  const missing = 8 - left.length - right.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const all = [...left, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...right];
  if (!all.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  const out = Buffer.alloc(16);
  all.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16), i * 2));
  return out;
}

function parseIPv4(text: string): number[] | undefined {
  if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(text)) return undefined;
  const parts = text.split('.').map(Number);
  return parts.every((p) => p <= 255) ? parts : undefined;
}

function pem(label: string, body: Buffer): string {
  const b64 = body.toString('base64').replace(/.{64}/g, '$&\n').replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}
