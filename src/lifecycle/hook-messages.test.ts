import { describe, expect, it } from 'vitest';
import {
  execExitError,
  execFailureMessage,
  goHandlerDump,
  httpFailureMessage,
  httpFallbackEventMessage,
  invalidHandlerError,
  invalidHandlerMessage,
  sleepFailureMessage,
} from './hook-messages.js';
import { hookContext } from './hook-test-fixtures.case.js';

const ctx = hookContext({ podUid: 'uid-1' });

describe('hook messages', () => {
  it('R1.3: non-zero exit error text', () => {
    expect(execExitError(['sh', '-c', 'exit 1'], 1, 'boom\n')).toBe("command 'sh -c exit 1' exited with 1: boom\n");
  });

  it('R1.4: exec failure message', () => {
    expect(execFailureMessage(ctx, ['sh', '-c', 'exit 1'], "command 'sh -c exit 1' exited with 1: ", '')).toBe(
      'Exec lifecycle hook ([sh -c exit 1]) for Container "app" in Pod "web_default(uid-1)" failed - error: command \'sh -c exit 1\' exited with 1: , message: ""',
    );
  });

  it('R1.8: HTTP failure message uses the raw path', () => {
    expect(httpFailureMessage(ctx, 'pre stop?x=1', 'E')).toBe(
      'HTTP lifecycle hook (pre stop?x=1) for Container "app" in Pod "web_default(uid-1)" failed - error: E',
    );
    expect(httpFailureMessage(ctx, undefined, 'E')).toBe(
      'HTTP lifecycle hook () for Container "app" in Pod "web_default(uid-1)" failed - error: E',
    );
  });

  it('R1.9: sleep failure message', () => {
    expect(sleepFailureMessage(ctx, 5, 'container terminated before sleep hook finished')).toBe(
      'Sleep lifecycle hook (5) for Container "app" in Pod "web_default(uid-1)" failed - error: container terminated before sleep hook finished',
    );
  });

  it('R1.7: fallback event message', () => {
    expect(httpFallbackEventMessage('127.0.0.1:8443')).toBe(
      'request to HTTPS lifecycle hook 127.0.0.1:8443 got HTTP response, retry with HTTP succeeded',
    );
  });

  it('R1.1: invalid handler error and message with a Go struct dump', () => {
    const error = invalidHandlerError({ tcpSocket: { port: 8080 } });
    expect(error).toBe(
      'invalid handler: &LifecycleHandler{Exec:nil,HTTPGet:nil,TCPSocket:&TCPSocketAction{Port:{0 8080 },Host:,},Sleep:nil,}',
    );
    expect(invalidHandlerMessage(error)).toBe(`Cannot run handler: ${error}`);
  });

  it('R1.1: dumps a named tcpSocket port, an empty handler and a nil handler', () => {
    expect(goHandlerDump({ tcpSocket: { port: 'http', host: 'db' } })).toBe(
      '&LifecycleHandler{Exec:nil,HTTPGet:nil,TCPSocket:&TCPSocketAction{Port:{1 0 http},Host:db,},Sleep:nil,}',
    );
    expect(goHandlerDump({})).toBe('&LifecycleHandler{Exec:nil,HTTPGet:nil,TCPSocket:nil,Sleep:nil,}');
    expect(goHandlerDump(undefined)).toBe('nil');
  });
});
