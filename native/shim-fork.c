/*
 * The spawner runs the container shim's code in a forked copy of itself
 * instead of posix_spawn + exec of build/hooklet-shim. On a 2-core VM the
 * exec and the static C library's start-up cost ~285 µs before the shim's
 * main (median of 200, measured with a probe binary); a fork of this small
 * process, with the fd table closed and signals reset, ~95 µs. One pod's
 * create -> Running is ~3.4 ms, so that is a sixteenth of it.
 *
 * The forked shim is the shim: the same code (every file of the shim binary
 * is compiled into the spawner too, by scripts/build-shim.mjs), started with
 * everything posix_spawn would have given it, and named "hooklet-shim"
 * (comm). Only its /proc/<pid>/exe and cmdline differ, which nothing in
 * hooklet reads: shims are known by pid and start time. Used only for the
 * spawner's own sibling shim, so a test's shim at another path is exec'd as
 * before.
 */
#define _GNU_SOURCE
#include "shim-fork.h"
#include "shim-common.h"
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SYS_close_range
#define SYS_close_range 436
#endif

extern char **environ;
static char shim_path[PATH_MAX]; /* empty: always exec */

void shim_fork_init(void) {
  const char *off = getenv("HOOKLET_SPAWNER_EXEC_SHIM");
  if (off && strcmp(off, "1") == 0) return;
  /* A kernel without close_range (< 5.9) could not drop the spawner's fds in one call: exec then. */
  if (syscall(SYS_close_range, ~0U, ~0U, 0) != 0 && errno == ENOSYS) return;
  char self[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  if (n <= 0) return;
  self[n] = 0;
  char *slash = strrchr(self, '/');
  if (!slash || (size_t)(slash - self) + sizeof "/hooklet-shim" > sizeof shim_path) return;
  *slash = 0;
  memcpy(shim_path, self, (size_t)(slash - self));
  strcpy(shim_path + (slash - self), "/hooklet-shim");
}

static void to_dev_null(int fd, int flags) {
  int n = open("/dev/null", flags);
  if (n >= 0 && n != fd) {
    dup2(n, fd);
    close(n);
  }
}

/* In the child: what posix_spawn's attributes and file actions do, then the shim. */
static void become_shim(char **argv, char **envp, const int wr[4], int detached, int group) {
  if (detached) setsid();
  else if (group) setpgid(0, 0);
  reset_child_signals();
  to_dev_null(0, O_RDONLY);
  for (int f = 1; f <= 3; f++) {
    if (wr[f] >= 0) dup2(wr[f], f);
    else if (f < 3) to_dev_null(f, O_WRONLY);
  }
  /* Nothing of the spawner's: its request and reply pipes, other children's pipes and pidfds. */
  syscall(SYS_close_range, wr[3] >= 0 ? 4U : 3U, ~0U, 0);
  prctl(PR_SET_NAME, "hooklet-shim");
  environ = envp;
  int argc = 0;
  while (argv[argc]) argc++;
  exit(hooklet_shim_main(argc, argv));
}

int shim_fork(const char *path, char **argv, char **envp, const int wr[4], int detached, int group, pid_t *pid) {
  if (!shim_path[0] || !path || strcmp(path, shim_path) != 0 || !argv[0] || !argv[1] || strcmp(argv[1], "run") != 0) return 0;
  pid_t p = fork();
  if (p < 0) return -1;
  if (p == 0) become_shim(argv, envp, wr, detached, group);
  *pid = p;
  return 1;
}
