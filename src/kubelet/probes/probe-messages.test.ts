/** R7.1 event texts and the prober's output texts. */
import { describe, expect, it } from 'vitest';
import {
  PROBE_WARNING_REASON,
  UNHEALTHY_REASON,
  goDuration,
  grpcConnectTimeout,
  probeErroredMessage,
  probeFailedMessage,
  probeUserAgent,
  probeWarningMessage,
} from './probe-messages.js';

describe('probe messages', () => {
  it('R7.1: Unhealthy "<Type> probe failed|errored: …" and ProbeWarning "<Type> probe warning: …"', () => {
    expect(UNHEALTHY_REASON).toBe('Unhealthy');
    expect(PROBE_WARNING_REASON).toBe('ProbeWarning');
    expect(probeFailedMessage('liveness', 'HTTP probe failed with statuscode: 500')).toBe('Liveness probe failed: HTTP probe failed with statuscode: 500');
    expect(probeFailedMessage('readiness', '')).toBe('Readiness probe failed: ');
    expect(probeErroredMessage('startup', 'strconv.Atoi: parsing "web": invalid syntax')).toBe('Startup probe errored: strconv.Atoi: parsing "web": invalid syntax');
    expect(probeWarningMessage('readiness', 'Probe terminated redirects, Response body: ')).toBe(
      'Readiness probe warning: Probe terminated redirects, Response body: ',
    );
  });

  it('User-Agent kube-probe/<major>.<minor>', () => {
    expect(probeUserAgent()).toBe('kube-probe/1.32');
    expect(probeUserAgent('v1.31.4')).toBe('kube-probe/1.31');
  });

  it('Go duration texts for whole seconds', () => {
    expect([0, 1, 59, 60, 90, 3600, 3661].map(goDuration)).toEqual(['0s', '1s', '59s', '1m0s', '1m30s', '1h0m0s', '1h1m1s']);
    expect(grpcConnectTimeout('[::1]:50051', 1)).toBe('timeout: failed to connect service "[::1]:50051" within 1s: context deadline exceeded');
  });
});
