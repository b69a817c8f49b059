/*
 * bench-app: the workload process of the benchmarks, the same binary under
 * every tool (raw Node, hooklet, PM2, supervisord).
 *
 *   bench-app <report-fifo> graceful <delay-ms>   exits 0 <delay-ms> after SIGTERM
 *   bench-app <report-fifo> ignore                 keeps running after SIGTERM
 *
 * It reports to the bench, not to the tool that runs it: one line per fact,
 * written with a single write(2) (atomic below PIPE_BUF) to a FIFO the bench
 * reads, with CLOCK_MONOTONIC nanoseconds (the clock of Node's hrtime):
 *   "up <pid> <ns>"    once it runs
 *   "term <pid> <ns>"  each SIGTERM it receives
 * Its exit is seen by bench-exit-watcher (pidfd), never reported by itself.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static long long mono_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void report(const char *fifo, const char *what, long long ns) {
  char line[96];
  int n = snprintf(line, sizeof line, "%s %d %lld\n", what, (int)getpid(), ns);
  /* Non-blocking open: with no reader (bench gone) it fails instead of hanging. */
  int fd = open(fifo, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return;
  /* A full pipe (the bench busy) must delay the line, not lose it. */
  for (int tries = 0; tries < 2000; tries++) {
    if (write(fd, line, (size_t)n) == n) break;
    if (errno != EINTR && errno != EAGAIN) break;
    if (errno == EAGAIN) {
      struct timespec d = {0, 1000000L};
      nanosleep(&d, NULL);
    }
  }
  close(fd);
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: bench-app <fifo> graceful <delay-ms> | ignore\n");
    return 2;
  }
  const char *fifo = argv[1];
  int graceful = strcmp(argv[2], "graceful") == 0;
  long delay_ms = argc > 3 ? atol(argv[3]) : 0;
  signal(SIGPIPE, SIG_IGN);
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigprocmask(SIG_BLOCK, &set, NULL);
  report(fifo, "up", mono_ns());
  for (;;) {
    siginfo_t si;
    if (sigwaitinfo(&set, &si) < 0) continue;
    report(fifo, "term", mono_ns());
    if (graceful) {
      struct timespec d = {delay_ms / 1000, (delay_ms % 1000) * 1000000L};
      while (nanosleep(&d, &d) < 0 && errno == EINTR) {
      }
      return 0;
    }
  }
}
