/* The run mode's stop control (see shim-stop.h): stop lines read from the
 * ctl FIFO, the signal they send, and the timerfd deadline for SIGKILL. */
#define _GNU_SOURCE
#include "shim-stop.h"
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "shim-common.h"

/* Caps a stop timeout (about 3 years) so its deadline in ns cannot overflow. */
#define MAX_STOP_TIMEOUT_MS 100000000000LL

/* The stop control channel. A FIFO rather than a unix socket: the agent needs
 * nothing but open/write/close (no socket binding, no peer addresses), a write
 * of one short line is atomic (< PIPE_BUF), and the shim holds it open O_RDWR,
 * so it never sees EOF when an agent closes it, while a writer's non-blocking
 * open fails with ENXIO once no shim holds it: the agent then knows at once
 * that no shim will enforce the deadline and keeps the deadline itself. */
int open_ctl(int dirfd) {
  unlinkat(dirfd, "ctl", 0);
  if (mkfifoat(dirfd, "ctl", 0600) != 0) return -1;
  return openat(dirfd, "ctl", O_RDWR | O_NONBLOCK | O_CLOEXEC);
}

static int still_running(pid_t pid) {
  siginfo_t si;
  memset(&si, 0, sizeof si);
  return !(waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) == 0 && si.si_pid == pid);
}

void stop_kill(struct stop_state *st) {
  if (st->killed_at != 0 || !still_running(st->pid)) return;
  kill(-st->pid, SIGKILL);
  st->killed_at = now_ms();
}

static void stop_command(struct stop_state *st, const char *line) {
  int signo;
  long long timeout;
  double sent_at = 0;
  int fields = sscanf(line, "stop %d %lld %lf", &signo, &timeout, &sent_at);
  if (fields < 2 || signo <= 0 || signo >= NSIG) return;
  /* The deadline counts from when the agent issued the stop (its wall-clock
   * ms, 3rd field), not from when this loop got to read it: a busy machine
   * delaying the read must not move SIGKILL later. Only the small delivery
   * delay is taken from the wall clock, clamped, so clock steps cannot hurt. */
  if (fields == 3 && timeout > 0) {
    double delay = now_ms() - sent_at;
    /* Over a second is not a delivery delay but clocks that disagree: ignore it. */
    if (delay > 0 && delay < 1000) timeout -= (long long)delay > timeout ? timeout : (long long)delay;
    if (timeout <= 0) timeout = 1;
  }
  if (timeout <= 0) {
    stop_kill(st);
    return;
  }
  if (timeout > MAX_STOP_TIMEOUT_MS) timeout = MAX_STOP_TIMEOUT_MS;
  if (st->killed_at == 0 && still_running(st->pid)) kill(-st->pid, signo);
  /* Relative to the monotonic clock now, in ns so it is never early: wall-clock steps cannot move it. */
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  long long deadline = (long long)now.tv_sec * 1000000000LL + now.tv_nsec + timeout * 1000000LL;
  if (st->deadline != 0 && st->deadline <= deadline) return;
  st->deadline = deadline;
  struct itimerspec its;
  memset(&its, 0, sizeof its);
  its.it_value.tv_sec = (time_t)(deadline / 1000000000LL);
  its.it_value.tv_nsec = (long)(deadline % 1000000000LL);
  /* Without a timer (fd exhaustion) there is no safe deferral: kill now rather than never. */
  if (st->tfd < 0 || timerfd_settime(st->tfd, TFD_TIMER_ABSTIME, &its, NULL) != 0) stop_kill(st);
}

/* Reads whatever commands are waiting on the control FIFO. */
void read_ctl(int fd, struct stop_state *st, char *buf, size_t *have, size_t cap) {
  for (;;) {
    ssize_t n = read(fd, buf + *have, cap - 1 - *have);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    *have += (size_t)n;
    buf[*have] = 0;
    char *start = buf, *nl;
    while ((nl = strchr(start, '\n'))) {
      *nl = 0;
      stop_command(st, start);
      start = nl + 1;
    }
    *have -= (size_t)(start - buf);
    memmove(buf, start, *have);
    /* A line longer than the buffer is garbage: drop it. */
    if (*have == cap - 1) *have = 0;
  }
}

