import { createHash } from 'node:crypto';

/** What signing a certificate needs from its issuer's certificate, exactly as encoded there. */
export interface IssuerFields {
  /** The issuer's subject Name, byte for byte: clients match a child's issuer to it by bytes (Go's CertPool does). */
  subject: Buffer;
  /** Its subjectKeyIdentifier, when it has one; a child's authorityKeyIdentifier must equal it (OpenSSL checks). */
  subjectKeyId?: Buffer;
  /** What names its key: the subjectKeyIdentifier, else publicKeyId() of its key. */
  keyId: Buffer;
}

interface Tlv {
  tag: number;
  /** The whole element, header included. */
  raw: Buffer;
  content: Buffer;
}

class DerError extends Error {
  constructor(what: string) {
    super(`malformed certificate: ${what}`);
  }
}

function readTlv(buf: Buffer, at: number): Tlv {
  if (at + 2 > buf.length) throw new DerError('truncated header');
  const tag = buf[at]!;
  let len = buf[at + 1]!;
  let head = 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || at + 2 + n > buf.length) throw new DerError('bad length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[at + 2 + i]!;
    head += n;
  }
  const end = at + head + len;
  if (end > buf.length) throw new DerError('truncated element');
  return { tag, raw: buf.subarray(at, end), content: buf.subarray(at + head, end) };
}

function children(parent: Buffer): Tlv[] {
  const out: Tlv[] = [];
  for (let at = 0; at < parent.length; ) {
    const t = readTlv(parent, at);
    out.push(t);
    at += t.raw.length;
  }
  return out;
}

const SUBJECT_KEY_ID_OID = Buffer.from([0x06, 0x03, 0x55, 0x1d, 0x0e]); // 2.5.29.14

/** Reads the issuer-side fields from a certificate's DER (RFC 5280 §4.1). */
export function issuerFields(certDer: Buffer): IssuerFields {
  const cert = readTlv(certDer, 0);
  const tbs = children(cert.content)[0];
  if (!tbs) throw new DerError('no tbsCertificate');
  const fields = children(tbs.content);
  // version [0] is optional (v1); then serialNumber, signature, issuer, validity, subject, spki, …
  const i = fields[0]?.tag === 0xa0 ? 1 : 0;
  const subject = fields[i + 4];
  if (!subject || subject.tag !== 0x30) throw new DerError('no subject');
  let subjectKeyId: Buffer | undefined;
  const extensions = fields.find((f) => f.tag === 0xa3);
  if (extensions) {
    for (const ext of children(children(extensions.content)[0]?.content ?? Buffer.alloc(0))) {
      const [id, ...rest] = children(ext.content);
      if (!id?.raw.equals(SUBJECT_KEY_ID_OID)) continue;
      // extnValue is an OCTET STRING holding the DER of KeyIdentifier (itself an OCTET STRING).
      const value = rest[rest.length - 1];
      if (value) subjectKeyId = Buffer.from(readTlv(value.content, 0).content);
    }
  }
  const spki = fields[i + 5];
  if (!spki || spki.tag !== 0x30) throw new DerError('no subjectPublicKeyInfo');
  return { subject: Buffer.from(subject.raw), ...(subjectKeyId ? { subjectKeyId } : {}), keyId: subjectKeyId ?? publicKeyId(spki.raw) };
}

/** RFC 5280 §4.2.1.2 method 1: the SHA-1 of the subjectPublicKey bits of a SubjectPublicKeyInfo (DER). */
export function publicKeyId(spkiDer: Buffer): Buffer {
  const bits = children(readTlv(spkiDer, 0).content)[1];
  if (!bits || bits.tag !== 0x03 || bits.content.length < 1) throw new DerError('no subjectPublicKey');
  return createHash('sha1').update(bits.content.subarray(1)).digest();
}
