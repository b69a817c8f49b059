/* The shim's watch mode (see hooklet-shim.c): the agent's exit watcher for
 * processes that are not its children. */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "shim-common.h"
#include "shim-modes.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

struct watched {
  char key[24];
  pid_t pid;
  unsigned long long ticks;
  int pidfd; /* -1 without pidfd_open: checked on a slow timer instead */
};

static struct watched *watched;
static size_t n_watched, cap_watched;

static void report_gone(const char *key) {
  char line[32];
  int n = snprintf(line, sizeof line, "%s\n", key);
  /* The agent closed its end: nobody to tell, and stdin EOF ends us next. */
  if (write_all(1, line, (size_t)n) < 0) _exit(0);
}

/* "<key> <pid> <ticks>": reports at once when the process is not (or no
 * longer) the one that started at <ticks>, else keeps a pidfd on it. */
static void add_watch(char *line) {
  char key[24];
  int pid;
  unsigned long long ticks;
  if (sscanf(line, "%23s %d %llu", key, &pid, &ticks) != 3 || pid <= 0) return;
  int pidfd = (int)syscall(SYS_pidfd_open, (pid_t)pid, 0);
  /* Checked after opening: a matching start time means the pidfd is ours. */
  if (!container_alive((pid_t)pid, ticks)) {
    if (pidfd >= 0) close(pidfd);
    report_gone(key);
    return;
  }
  if (n_watched == cap_watched) {
    size_t cap = cap_watched ? cap_watched * 2 : 16;
    struct watched *grown = realloc(watched, cap * sizeof *watched);
    if (!grown) _exit(1);
    watched = grown;
    cap_watched = cap;
  }
  struct watched *w = &watched[n_watched++];
  snprintf(w->key, sizeof w->key, "%s", key);
  w->pid = (pid_t)pid;
  w->ticks = ticks;
  w->pidfd = pidfd;
}

int watch_mode(void) {
  signal(SIGPIPE, SIG_IGN);
  /* One pidfd per watched process: lift the soft limit to the hard one. */
  struct rlimit rl;
  if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
  }
  char buf[4096];
  size_t have = 0;
  struct pollfd *pf = NULL;
  for (;;) {
    pf = realloc(pf, (n_watched + 1) * sizeof *pf);
    if (!pf) return 1;
    pf[0] = (struct pollfd){0, POLLIN, 0};
    int slow = 0;
    for (size_t i = 0; i < n_watched; i++) {
      pf[i + 1] = (struct pollfd){watched[i].pidfd, POLLIN, 0};
      if (watched[i].pidfd < 0) slow = 1;
    }
    int r = poll(pf, n_watched + 1, slow ? 200 : -1);
    if (r < 0) {
      if (errno == EINTR) continue;
      return 1;
    }
    for (size_t i = n_watched; i-- > 0;) {
      struct watched *w = &watched[i];
      int gone = w->pidfd >= 0 ? (pf[i + 1].revents & (POLLIN | POLLHUP | POLLERR)) != 0 : !container_alive(w->pid, w->ticks);
      if (!gone) continue;
      if (w->pidfd >= 0) close(w->pidfd);
      report_gone(w->key);
      watched[i] = watched[--n_watched];
    }
    if (pf[0].revents & (POLLIN | POLLHUP | POLLERR)) {
      ssize_t n = read(0, buf + have, sizeof buf - 1 - have);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return 0;
      have += (size_t)n;
      buf[have] = 0;
      char *start = buf, *nl;
      while ((nl = strchr(start, '\n'))) {
        *nl = 0;
        add_watch(start);
        start = nl + 1;
      }
      have -= (size_t)(start - buf);
      memmove(buf, start, have);
      /* A line longer than the buffer is garbage: drop it. */
      if (have == sizeof buf - 1) have = 0;
    }
  }
}
