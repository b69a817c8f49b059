/* The shim's exec mode (see hooklet-shim.c): a command in a running
 * container's context that dies with the container. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "shim-common.h"
#include "shim-modes.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

static void report(const char *fmt, ...) {
  char line[1200];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(line, sizeof line, fmt, ap);
  va_end(ap);
  if (n > 0) write_all(3, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
  close(3);
}

int exec_mode(pid_t target, unsigned long long target_ticks, const char *cwd, char **argv) {
  fcntl(3, F_SETFD, FD_CLOEXEC);
  int pidfd = (int)syscall(SYS_pidfd_open, target, 0);
  /* Check after opening the pidfd: if the start time still matches, the pidfd
   * refers to the container and not to a process that reused its PID. */
  if (!container_alive(target, target_ticks)) {
    report("notrunning\n");
    return 126;
  }
  int sigs[] = {SIGCHLD, SIGTERM, SIGINT, SIGHUP};
  int sfd = block_signals_fd(sigs, 4);
  signal(SIGPIPE, SIG_IGN);

  int rep[2];
  if (sfd < 0 || pipe2(rep, O_CLOEXEC)) {
    report("execfail %s\n", strerror(errno));
    return 127;
  }
  pid_t parent = getpid();
  pid_t child = fork();
  if (child < 0) {
    report("execfail fork: %s\n", strerror(errno));
    return 127;
  }
  if (child == 0) {
    setpgid(0, 0);
    /* If the helper is SIGKILLed, take the command with it. */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(137);
    reset_child_signals();
    if (chdir(cwd) < 0) child_fail(rep[1], 1);
    execvp(argv[0], argv);
    child_fail(rep[1], 2);
  }
  setpgid(child, child);
  close(rep[1]);
  struct child_failure f;
  ssize_t got;
  do {
    got = read(rep[0], &f, sizeof f);
  } while (got < 0 && errno == EINTR);
  close(rep[0]);
  if (got == (ssize_t)sizeof f) {
    char msg[1024];
    describe_failure(msg, sizeof msg, &f, cwd, argv[0]);
    waitpid(child, NULL, 0);
    report("execfail %s\n", msg);
    return 127;
  }
  report("started %d\n", (int)child);

  struct pollfd pf[2] = {{sfd, POLLIN, 0}, {pidfd, POLLIN, 0}};
  int container_gone = 0;
  for (;;) {
    /* Without pidfd (kernel < 5.3) fall back to a slow liveness check. */
    int slow = !container_gone && pidfd < 0;
    int r = poll(pf, pidfd >= 0 ? 2 : 1, slow ? 200 : -1);
    if (r < 0 && errno != EINTR) break;
    if (!container_gone &&
        ((pidfd >= 0 && (pf[1].revents & POLLIN)) || (slow && !container_alive(target, target_ticks)))) {
      container_gone = 1;
      kill(-child, SIGKILL);
      if (pidfd >= 0) close(pidfd);
      pidfd = -1;
    }
    if (pf[0].revents & POLLIN) {
      struct signalfd_siginfo si;
      while (read(sfd, &si, sizeof si) == (ssize_t)sizeof si) {
        if (si.ssi_signo != SIGCHLD) kill(-child, SIGKILL);
      }
      int status;
      if (waitpid(child, &status, WNOHANG) == child) {
        /* Leftover background processes of the command do not outlive it. */
        kill(-child, SIGKILL);
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      }
    }
  }
  return 1;
}
