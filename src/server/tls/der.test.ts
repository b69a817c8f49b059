import { describe, expect, it } from 'vitest';
import { der } from './der.js';

const hex = (b: Buffer): string => b.toString('hex');

describe('der', () => {
  it('encodes OIDs with base-128 arcs (ecPublicKey, a large first arc pair)', () => {
    expect(hex(der.oid('1.2.840.10045.2.1'))).toBe('06072a8648ce3d0201');
    expect(hex(der.oid('2.5.29.17'))).toBe('0603551d11');
    expect(() => der.oid('1')).toThrow(RangeError);
  });

  it('encodes non-negative INTEGERs minimally, padding a set top bit', () => {
    expect(hex(der.unsignedInteger(Buffer.from([0x80])))).toBe('02020080');
    expect(hex(der.unsignedInteger(Buffer.from([0, 0, 5])))).toBe('020105');
    expect(hex(der.unsignedInteger(Buffer.from([0, 0])))).toBe('020100');
    expect(hex(der.smallInteger(2))).toBe('020102');
  });

  it('drops trailing zero bits of a named-bit BIT STRING (KeyUsage)', () => {
    // digitalSignature, keyCertSign, cRLSign: bits 0, 5, 6.
    expect(hex(der.namedBits([0, 5, 6]))).toBe('03020186');
    expect(hex(der.namedBits([0]))).toBe('03020780');
    expect(hex(der.namedBits([0, 8]))).toBe('0303078080');
  });

  it('uses UTCTime through 2049 and GeneralizedTime from 2050 (RFC 5280)', () => {
    expect(der.time(Date.parse('2049-12-31T23:59:59.900Z')).toString('latin1')).toBe('\x17\x0d491231235959Z');
    expect(der.time(Date.parse('2050-01-01T00:00:00Z')).toString('latin1')).toBe('\x18\x0f20500101000000Z');
  });

  it('uses the long length form from 128 bytes on', () => {
    expect(hex(der.octetString(Buffer.alloc(127)).subarray(0, 2))).toBe('047f');
    expect(hex(der.octetString(Buffer.alloc(200)).subarray(0, 3))).toBe('0481c8');
    expect(hex(der.sequence(Buffer.alloc(300)).subarray(0, 4))).toBe('3082012c');
  });

  it('encodes booleans, context tags and whole-byte BIT STRINGs', () => {
    expect(hex(der.boolean(true))).toBe('0101ff');
    expect(hex(der.explicit(3, der.sequence()))).toBe('a3023000');
    expect(hex(der.implicitPrimitive(7, Buffer.from([127, 0, 0, 1])))).toBe('87047f000001');
    expect(hex(der.bitString(Buffer.from([0xab])))).toBe('030200ab');
  });
});
