/**
 * The few DER (X.690) encodings an X.509 certificate needs. Each function
 * returns one complete TLV; lengths use the definite form, as DER requires.
 */

function tlv(tag: number, content: Uint8Array): Buffer {
  const n = content.length;
  let head: number[];
  if (n < 0x80) head = [tag, n];
  else {
    const bytes: number[] = [];
    for (let rest = n; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest & 0xff);
    head = [tag, 0x80 | bytes.length, ...bytes];
  }
  return Buffer.concat([Buffer.from(head), content]);
}

export const der = {
  sequence: (...items: Uint8Array[]): Buffer => tlv(0x30, Buffer.concat(items)),
  set: (...items: Uint8Array[]): Buffer => tlv(0x31, Buffer.concat(items)),
  boolean: (value: boolean): Buffer => tlv(0x01, Buffer.from([value ? 0xff : 0x00])),

  /** A non-negative INTEGER from its big-endian magnitude (minimal, with a 0x00 pad when the top bit is set). */
  unsignedInteger(magnitude: Uint8Array): Buffer {
    let i = 0;
    while (i < magnitude.length - 1 && magnitude[i] === 0) i++;
    const m = Buffer.from(magnitude.subarray(i));
    return tlv(0x02, m.length > 0 && m[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), m]) : m.length > 0 ? m : Buffer.from([0]));
  },

  smallInteger(value: number): Buffer {
    if (!Number.isInteger(value) || value < 0 || value > 0x7f) throw new RangeError(`small integer out of range: ${value}`);
    return tlv(0x02, Buffer.from([value]));
  },

  oid(dotted: string): Buffer {
    const arcs = dotted.split('.').map(Number);
    if (arcs.length < 2 || arcs.some((a) => !Number.isSafeInteger(a) || a < 0)) throw new RangeError(`bad OID ${dotted}`);
    const out: number[] = [];
    const push = (arc: number): void => {
      const groups: number[] = [arc & 0x7f];
      for (let rest = Math.floor(arc / 128); rest > 0; rest = Math.floor(rest / 128)) groups.unshift((rest & 0x7f) | 0x80);
      out.push(...groups);
    };
    push(arcs[0]! * 40 + arcs[1]!);
    for (const a of arcs.slice(2)) push(a);
    return tlv(0x06, Buffer.from(out));
  },

  octetString: (bytes: Uint8Array): Buffer => tlv(0x04, bytes),
  utf8String: (text: string): Buffer => tlv(0x0c, Buffer.from(text, 'utf8')),

  /** A BIT STRING of whole bytes (keys, signatures). */
  bitString: (bytes: Uint8Array): Buffer => tlv(0x03, Buffer.concat([Buffer.from([0]), bytes])),

  /**
   * A named-bit BIT STRING (KeyUsage): bit 0 is the most significant bit of
   * the first byte; trailing zero bits are dropped, as DER requires.
   */
  namedBits(bits: number[]): Buffer {
    if (bits.length === 0) return tlv(0x03, Buffer.from([0]));
    const last = Math.max(...bits);
    const bytes = Buffer.alloc(Math.floor(last / 8) + 1);
    for (const b of bits) bytes[b >> 3]! |= 0x80 >> (b & 7);
    return tlv(0x03, Buffer.concat([Buffer.from([7 - (last & 7)]), bytes]));
  },

  /** RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050; always UTC, whole seconds. */
  time(ms: number): Buffer {
    const iso = new Date(ms).toISOString(); // YYYY-MM-DDTHH:MM:SS.sssZ
    const digits = iso.slice(0, 19).replace(/[-:T]/g, '');
    const year = Number(iso.slice(0, 4));
    if (year < 1950 || year > 9999) throw new RangeError(`certificate time out of range: ${iso}`);
    return year < 2050 ? tlv(0x17, Buffer.from(`${digits.slice(2)}Z`, 'ascii')) : tlv(0x18, Buffer.from(`${digits}Z`, 'ascii'));
  },

  /** [n] EXPLICIT: a constructed context-specific tag around one complete TLV. */
  explicit: (n: number, inner: Uint8Array): Buffer => tlv(0xa0 | n, inner),
  /** [n] IMPLICIT over a primitive type: the context tag replaces the type's own. */
  implicitPrimitive: (n: number, content: Uint8Array): Buffer => tlv(0x80 | n, content),
};
