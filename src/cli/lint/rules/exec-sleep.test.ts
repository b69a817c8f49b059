import { describe, expect, it } from 'vitest';
import { execSleep } from './exec-sleep.js';

describe('execSleep', () => {
  it.each([
    [['sleep', '5'], { seconds: 5, only: true, text: '5' }],
    [['/bin/sleep', '2.5'], { seconds: 2.5, only: true, text: '2.5' }],
    [['/usr/bin/sleep', '1m'], { seconds: 60, only: true, text: '1m' }],
    [['sleep', 'infinity'], { seconds: Infinity, only: true, text: 'infinity' }],
    [['sh', '-c', 'sleep 10'], { seconds: 10, only: true, text: '10' }],
    [['/bin/bash', '-ec', '  exec sleep 3  '], { seconds: 3, only: true, text: '3' }],
    [['sh', '-c', 'sleep 15 && nginx -s quit'], { seconds: 15, only: false, text: '15' }],
    [['sh', '-c', 'sleep "4"; kill 1'], { seconds: 4, only: false, text: '4' }],
  ])('recognises %j', (command, expected) => {
    expect(execSleep(command)).toEqual(expected);
  });

  it.each([[[]], [['sleep']], [['sleep', '1', '2']], [['sleep', 'abc']], [['sh', '-c', 'echo hi; sleep 5']], [['python', '-c', 'sleep 5']], [['sh', 'sleep 5']], [undefined]])(
    'ignores %j',
    (command) => {
      expect(execSleep(command)).toBeUndefined();
    },
  );
});
