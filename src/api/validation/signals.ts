/**
 * Stop signals accepted in `lifecycle.stopSignal` per `spec.os.name` (KEP-4960,
 * `supportedStopSignalsLinux` / `supportedStopSignalsWindows` in validation.go).
 * Both lists are sorted the way Go's sets.List sorts them, because the Unsupported-value
 * message prints them in that order.
 */

function sorted(values: string[]): readonly string[] {
  return Object.freeze([...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
}

const realtime: string[] = ['SIGRTMIN'];
for (let i = 1; i <= 15; i++) realtime.push(`SIGRTMIN+${i}`);
for (let i = 14; i >= 1; i--) realtime.push(`SIGRTMAX-${i}`);
realtime.push('SIGRTMAX');

export const LINUX_STOP_SIGNALS: readonly string[] = sorted([
  'SIGABRT', 'SIGALRM', 'SIGBUS', 'SIGCHLD', 'SIGCLD', 'SIGCONT', 'SIGFPE', 'SIGHUP',
  'SIGILL', 'SIGINT', 'SIGIO', 'SIGIOT', 'SIGKILL', 'SIGPIPE', 'SIGPOLL', 'SIGPROF',
  'SIGPWR', 'SIGQUIT', 'SIGSEGV', 'SIGSTKFLT', 'SIGSTOP', 'SIGSYS', 'SIGTERM', 'SIGTRAP',
  'SIGTSTP', 'SIGTTIN', 'SIGTTOU', 'SIGURG', 'SIGUSR1', 'SIGUSR2', 'SIGVTALRM', 'SIGWINCH',
  'SIGXCPU', 'SIGXFSZ',
  ...realtime,
]);

export const WINDOWS_STOP_SIGNALS: readonly string[] = sorted(['SIGKILL', 'SIGTERM']);

/** The signals allowed for an OS name, or undefined when the OS imposes no list. */
export function stopSignalsFor(osName: string): readonly string[] | undefined {
  if (osName === 'linux') return LINUX_STOP_SIGNALS;
  if (osName === 'windows') return WINDOWS_STOP_SIGNALS;
  return undefined;
}
