import { describe, expect, it } from 'vitest';
import { LINUX_STOP_SIGNALS, stopSignalsFor, WINDOWS_STOP_SIGNALS } from './signals.js';

describe('V8 stop signal sets', () => {
  it('V8: linux has the 34 named signals and 31 real-time ones, sorted as Go sorts strings', () => {
    expect(LINUX_STOP_SIGNALS).toHaveLength(65);
    expect([...LINUX_STOP_SIGNALS].sort()).toEqual([...LINUX_STOP_SIGNALS]);
    for (const s of ['SIGTERM', 'SIGKILL', 'SIGCLD', 'SIGIOT', 'SIGPOLL', 'SIGRTMIN', 'SIGRTMIN+1', 'SIGRTMIN+15', 'SIGRTMAX-14', 'SIGRTMAX-1', 'SIGRTMAX']) {
      expect(LINUX_STOP_SIGNALS).toContain(s);
    }
    expect(LINUX_STOP_SIGNALS).not.toContain('SIGRTMIN+16');
    expect(LINUX_STOP_SIGNALS).not.toContain('SIGEMT');
    expect(LINUX_STOP_SIGNALS.slice(0, 3)).toEqual(['SIGABRT', 'SIGALRM', 'SIGBUS']);
  });

  it('V8: windows allows only SIGKILL and SIGTERM', () => {
    expect(WINDOWS_STOP_SIGNALS).toEqual(['SIGKILL', 'SIGTERM']);
  });

  it('other OS names impose no list', () => {
    expect(stopSignalsFor('linux')).toBe(LINUX_STOP_SIGNALS);
    expect(stopSignalsFor('windows')).toBe(WINDOWS_STOP_SIGNALS);
    expect(stopSignalsFor('darwin')).toBeUndefined();
  });
});
