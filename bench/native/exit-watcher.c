/*
 * bench-exit-watcher: sees processes die from outside, without being their
 * parent or asking the tool that runs them. Reads PIDs (one per line) on
 * stdin until a line "end", opens a pidfd for each (pidfd_open, Linux >= 5.3)
 * and prints "ready <watched> <already-gone>"; then, as each process exits,
 * "exit <pid> <CLOCK_MONOTONIC ns>" — a pidfd turns readable when the process
 * terminates, before anyone reaps it. Prints "done" and exits once all are gone.
 * Lines "gone <pid>" name PIDs that had already exited when they were given.
 *
 * Output never blocks the watching: stdout is non-blocking and lines wait in
 * memory until the reader takes them. A blocking write would stall this loop
 * whenever the bench process is busy (it hosts the tool under test, which is
 * busiest exactly while its containers die), and every exit seen after the
 * stall would be stamped with the time the write returned (found when 200
 * SIGKILLs appeared to land at the same instant, 300 ms late).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

static long long mono_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(void) {
  struct rlimit rl;
  if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
  }
  size_t cap = 1024, n = 0;
  struct pollfd *pf = calloc(cap, sizeof *pf);
  int *pids = calloc(cap, sizeof *pids);
  int gone = 0;
  char line[64];
  setvbuf(stdout, NULL, _IOLBF, 0);
  while (fgets(line, sizeof line, stdin)) {
    if (strncmp(line, "end", 3) == 0) break;
    int pid = atoi(line);
    if (pid <= 0) continue;
    int fd = (int)syscall(SYS_pidfd_open, pid, 0);
    if (fd < 0) {
      printf("gone %d\n", pid);
      gone++;
      continue;
    }
    if (n == cap) {
      cap *= 2;
      pf = realloc(pf, cap * sizeof *pf);
      pids = realloc(pids, cap * sizeof *pids);
    }
    pf[n].fd = fd;
    pf[n].events = POLLIN;
    pids[n] = pid;
    n++;
  }
  printf("ready %zu %d\n", n, gone);
  fflush(stdout);
  fcntl(1, F_SETFL, fcntl(1, F_GETFL) | O_NONBLOCK);
  /* Room for every line up front: no allocation between an exit and its stamp. */
  size_t out_cap = n * 40 + 16, out_len = 0, out_off = 0;
  char *out = malloc(out_cap);
  struct pollfd *all = calloc(n + 1, sizeof *all);
  if (!out || !all) return 1;
  size_t left = n;
  while (left > 0 || out_off < out_len) {
    /* Slot n is stdout, polled only while lines are waiting. */
    memcpy(all, pf, n * sizeof *pf);
    all[n] = (struct pollfd){out_off < out_len ? 1 : -1, POLLOUT, 0};
    int r = poll(all, n + 1, -1);
    if (r < 0) {
      if (errno == EINTR) continue;
      perror("poll");
      return 1;
    }
    long long t = mono_ns();
    for (size_t i = 0; i < n; i++) {
      if (pf[i].fd >= 0 && (all[i].revents & (POLLIN | POLLHUP | POLLERR))) {
        out_len += (size_t)snprintf(out + out_len, out_cap - out_len, "exit %d %lld\n", pids[i], t);
        close(pf[i].fd);
        pf[i].fd = -1;
        left--;
      }
    }
    while (out_off < out_len) {
      ssize_t w = write(1, out + out_off, out_len - out_off);
      if (w > 0) {
        out_off += (size_t)w;
      } else if (w < 0 && errno == EINTR) {
        continue;
      } else if (w < 0 && errno == EAGAIN) {
        break;
      } else {
        return 1; /* the reader is gone */
      }
    }
  }
  fcntl(1, F_SETFL, fcntl(1, F_GETFL) & ~O_NONBLOCK);
  printf("done\n");
  return 0;
}
