/* The shim's run mode (see hooklet-shim.c): claims the state directory,
 * starts the container, writes its output to the CRI log, enforces stops
 * (shim-stop.c) and records its exit. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "shim-common.h"
#include "shim-modes.h"
#include "shim-stop.h"

#ifndef SYS_close_range
#define SYS_close_range 436
#endif

/* After the main process exits, how long to keep reading output still held
 * by processes that escaped the group (setsid daemons) before recording the exit. */
#define DRAIN_BUDGET_MS 500

static char iobuf[8192];

static long long mono_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Creates name inside dirfd with the given body, failing with EEXIST if it is
 * there already: the body goes to a temp file that is then hard-linked, so
 * the claim appears whole or not at all. Returns 0, or -1 with errno. */
static int create_exclusive(int dirfd, const char *name, const char *body) {
  char tmp[64];
  snprintf(tmp, sizeof tmp, ".%s.%d.tmp", name, (int)getpid());
  int fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return -1;
  int rc = write_all(fd, body, strlen(body));
  close(fd);
  if (rc == 0) rc = linkat(dirfd, tmp, dirfd, name, 0);
  int saved = errno;
  unlinkat(dirfd, tmp, 0);
  errno = saved;
  return rc;
}

static void drain_signalfd(int sfd) {
  struct signalfd_siginfo si;
  while (read(sfd, &si, sizeof si) == (ssize_t)sizeof si) {
  }
}

static int log_fd = -1;

/* One CRI record per line: "<RFC3339Nano> <stream> <F|P> <content>\n". A chunk
 * that does not end in a newline is written at once as a partial (P) record,
 * as conmon does, so the shim never buffers output and readers merge P records. */
static void log_chunk(const char *stream, const char *data, size_t n) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  struct tm tm;
  gmtime_r(&ts.tv_sec, &tm);
  char stamp[40];
  size_t sl = strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
  snprintf(stamp + sl, sizeof stamp - sl, ".%09ldZ", ts.tv_nsec);
  char head_full[64], head_part[64];
  int hf = snprintf(head_full, sizeof head_full, "%s %s F ", stamp, stream);
  int hp = snprintf(head_part, sizeof head_part, "%s %s P ", stamp, stream);
  size_t start = 0;
  while (start < n) {
    const char *nl = memchr(data + start, '\n', n - start);
    size_t end = nl ? (size_t)(nl - data) : n;
    struct iovec iov[3] = {
        {nl ? head_full : head_part, (size_t)(nl ? hf : hp)},
        {(void *)(data + start), end - start},
        {(void *)"\n", 1},
    };
    /* One writev per record: O_APPEND keeps records whole between the two streams. */
    while (writev(log_fd, iov, 3) < 0 && errno == EINTR) {
    }
    start = nl ? end + 1 : n;
  }
}

/* Reads once from fd into the log; returns 0 at EOF. */
static int pump(int fd, const char *stream) {
  ssize_t n;
  do {
    n = read(fd, iobuf, sizeof iobuf);
  } while (n < 0 && errno == EINTR);
  if (n > 0) {
    log_chunk(stream, iobuf, (size_t)n);
    return 1;
  }
  if (n < 0 && errno == EAGAIN) return 1;
  return 0;
}

int run_mode(const char *dir, const char *cwd, char **argv) {
  /* Nothing beyond stdio comes in that the container should have (a stray fd the agent inherited). */
  syscall(SYS_close_range, 3U, ~0U, 0);
  reset_libc_internal_signals();
  signal(SIGPIPE, SIG_IGN);
  signal(SIGHUP, SIG_IGN);
  signal(SIGINT, SIG_IGN);
  signal(SIGQUIT, SIG_IGN);
  signal(SIGTTOU, SIG_IGN);
  signal(SIGTTIN, SIG_IGN);
  signal(SIGTSTP, SIG_IGN);
  int chld[] = {SIGCHLD};
  int sfd = block_signals_fd(chld, 1);

  int dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  char logpath[32] = "log/container.log";
  if (dirfd >= 0) log_fd = openat(dirfd, logpath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (sfd < 0 || dirfd < 0 || log_fd < 0) {
    printf("error cannot open state directory \"%s\": %s\n", dir, strerror(errno));
    return 1;
  }

  char boot[64];
  read_boot_id(boot, sizeof boot);
  unsigned long long shim_ticks = 0;
  char state;
  proc_stat(getpid(), &shim_ticks, &state);
  char claim[256];
  snprintf(claim, sizeof claim, "{\"by\":\"shim\",\"shimPid\":%d,\"shimStartTicks\":%llu,\"bootId\":\"%s\"}\n",
           (int)getpid(), shim_ticks, boot);
  if (create_exclusive(dirfd, "claim.json", claim) != 0) {
    if (errno == EEXIST) {
      printf("error the start of this container was already claimed (by another shim, or by a recovering agent that declared it abandoned)\n");
    } else {
      printf("error cannot claim state directory \"%s\": %s\n", dir, strerror(errno));
    }
    return 1;
  }

  /* Optional: without it the agent keeps the stop deadline itself. */
  int ctl = open_ctl(dirfd);

  int out[2], err[2], rep[2], go[2];
  if (pipe2(out, O_CLOEXEC) || pipe2(err, O_CLOEXEC) || pipe2(rep, O_CLOEXEC) || pipe2(go, O_CLOEXEC)) {
    printf("error pipe: %s\n", strerror(errno));
    return 1;
  }
  double started_at = now_ms();
  pid_t pid = fork();
  if (pid < 0) {
    printf("error fork: %s\n", strerror(errno));
    return 1;
  }
  if (pid == 0) {
    setsid();
    reset_child_signals();
    close(go[1]);
    int devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (devnull >= 0) dup2(devnull, 0);
    dup2(out[1], 1);
    dup2(err[1], 2);
    if (chdir(cwd) < 0) child_fail(rep[1], 1);
    /* Run nothing until started.json names this process: EOF here means the
     * shim died first, and a process no record names must not run. */
    char g = 0;
    ssize_t r;
    do {
      r = read(go[0], &g, 1);
    } while (r < 0 && errno == EINTR);
    if (r != 1 || g != 'g') _exit(127);
    execvp(argv[0], argv);
    child_fail(rep[1], 2);
  }
  close(out[1]);
  close(err[1]);
  close(rep[1]);
  close(go[0]);

  unsigned long long ticks = 0;
  proc_stat(pid, &ticks, &state);
  /* Also sent in the handshake, so the agent need not read the file back. */
  char started_json[320];
  snprintf(started_json, sizeof started_json,
           "{\"pid\":%d,\"startTicks\":%llu,\"shimPid\":%d,\"shimStartTicks\":%llu,\"bootId\":\"%s\",\"startedAt\":%.6f}",
           (int)pid, ticks, (int)getpid(), shim_ticks, boot, started_at);
  if (write_state(dirfd, "started.json", "%s\n", started_json) != 0) {
    char msg[512], esc[1100];
    snprintf(msg, sizeof msg, "cannot record the start in \"%s\": %s", dir, strerror(errno));
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    json_escape(esc, sizeof esc, msg);
    write_state(dirfd, "exit.json", "{\"exitCode\":128,\"startError\":\"%s\",\"finishedAt\":%.6f}\n", esc, now_ms());
    printf("error %s\n", msg);
    return 0;
  }
  write_all(go[1], "g", 1);
  close(go[1]);

  struct child_failure f;
  ssize_t got;
  do {
    got = read(rep[0], &f, sizeof f);
  } while (got < 0 && errno == EINTR);
  close(rep[0]);
  if (got == (ssize_t)sizeof f) {
    char msg[1024], esc[2048];
    describe_failure(msg, sizeof msg, &f, cwd, argv[0]);
    json_escape(esc, sizeof esc, msg);
    waitpid(pid, NULL, 0);
    write_state(dirfd, "exit.json", "{\"exitCode\":128,\"startError\":\"%s\",\"finishedAt\":%.6f}\n", esc, now_ms());
    printf("error %s\n", msg);
    return 0;
  }

  printf("started %d %s\n", (int)pid, started_json);
  fflush(stdout);
  /* The agent may die at any time: never write to its pipe again. */
  int devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
  if (devnull >= 0) dup2(devnull, 1);

  fcntl(out[0], F_SETFL, O_NONBLOCK);
  fcntl(err[0], F_SETFL, O_NONBLOCK);
  struct stop_state st = {pid, timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC), 0, 0};
  char ctlbuf[256];
  size_t ctlhave = 0;
  struct pollfd pf[5] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}, {sfd, POLLIN, 0}, {ctl, POLLIN, 0}, {st.tfd, POLLIN, 0}};
  const char *names[2] = {"stdout", "stderr"};
  siginfo_t si;
  for (;;) {
    if (poll(pf, 5, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (int i = 0; i < 2; i++) {
      if (pf[i].fd >= 0 && (pf[i].revents & (POLLIN | POLLHUP | POLLERR)) && !pump(pf[i].fd, names[i])) {
        close(pf[i].fd);
        pf[i].fd = -1;
      }
    }
    if (pf[3].revents & POLLIN) read_ctl(ctl, &st, ctlbuf, &ctlhave, sizeof ctlbuf);
    if (pf[4].revents & POLLIN) {
      uint64_t expirations;
      while (read(st.tfd, &expirations, sizeof expirations) < 0 && errno == EINTR) {
      }
      stop_kill(&st);
    }
    if (pf[2].revents & POLLIN) {
      drain_signalfd(sfd);
      memset(&si, 0, sizeof si);
      /* WNOWAIT: the zombie keeps the PID (and so the process group id) from
       * being reused until the exit is on disk. */
      if (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) == 0 && si.si_pid == pid) break;
    }
  }
  double finished_at = now_ms();
  int code, sig = 0;
  if (si.si_code == CLD_EXITED) {
    code = si.si_status;
  } else {
    sig = si.si_status;
    code = 128 + sig;
  }
  /* A container dies with its PID 1. */
  kill(-pid, SIGKILL);

  long long deadline = mono_ms() + DRAIN_BUDGET_MS;
  for (;;) {
    long long left = deadline - mono_ms();
    if ((pf[0].fd < 0 && pf[1].fd < 0) || left <= 0) break;
    int r = poll(pf, 2, (int)left);
    if (r < 0 && errno != EINTR) break;
    for (int i = 0; i < 2; i++) {
      if (pf[i].fd >= 0 && (pf[i].revents & (POLLIN | POLLHUP | POLLERR)) && !pump(pf[i].fd, names[i])) {
        close(pf[i].fd);
        pf[i].fd = -1;
      }
    }
  }
  /* No stop can be sent any more: writers get ENXIO from here on. */
  if (ctl >= 0) close(ctl);
  char killed[48] = "";
  if (st.killed_at != 0) snprintf(killed, sizeof killed, ",\"killedAt\":%.6f", st.killed_at);
  write_state(dirfd, "exit.json", "{\"exitCode\":%d,\"signal\":%d,\"finishedAt\":%.6f%s}\n", code, sig, finished_at, killed);
  waitpid(pid, NULL, 0);
  return 0;
}
