/*
 * bench-exit-watcher: sees processes die from outside, without being their
 * parent or asking the tool that runs them. Reads PIDs (one per line) on
 * stdin until a line "end", opens a pidfd for each (pidfd_open, Linux >= 5.3)
 * and prints "ready <watched> <already-gone>"; then, as each process exits,
 * "exit <pid> <CLOCK_MONOTONIC ns>" — a pidfd turns readable when the process
 * terminates, before anyone reaps it. Prints "done" and exits once all are gone.
 * Lines "gone <pid>" name PIDs that had already exited when they were given.
 */
#define _GNU_SOURCE
#include <errno.h>
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
  size_t left = n;
  while (left > 0) {
    int r = poll(pf, n, -1);
    if (r < 0) {
      if (errno == EINTR) continue;
      perror("poll");
      return 1;
    }
    long long t = mono_ns();
    for (size_t i = 0; i < n; i++) {
      if (pf[i].fd >= 0 && (pf[i].revents & (POLLIN | POLLHUP | POLLERR))) {
        printf("exit %d %lld\n", pids[i], t);
        close(pf[i].fd);
        pf[i].fd = -1;
        left--;
      }
    }
  }
  printf("done\n");
  return 0;
}
