/*
 * hooklet-shim: the small process that sits between the hooklet agent and one
 * container (the role of containerd's shim or podman's conmon). It outlives the
 * agent, so a container's exit status and log lines survive an agent crash.
 *
 *   hooklet-shim run  <state-dir> <cwd> <argv...>
 *       Claims <state-dir> (creates claim.json exclusively: a second shim, or a
 *       recovering agent that declared the start abandoned, wins over this one
 *       and nothing runs). Forks argv into its own session/process group with
 *       the shim's environ, records pid + start time + boot id in started.json
 *       BEFORE the child may exec (so a container that runs is always on disk;
 *       if the shim dies first, the child sees EOF on its go pipe and exits
 *       without running anything), writes its stdout/stderr to
 *       <state-dir>/log/container.log in CRI format, waits for it, kills what
 *       is left of its process group, and records the exit in exit.json (each
 *       file written to a temp name and renamed, so readers never see half a
 *       file). Handshake on the shim's own stdout: "started <pid> <started.json>\n" or
 *       "error <message>\n", then stdout is closed.
 *       Stop control: the shim creates the FIFO <state-dir>/ctl and reads
 *       "stop <signo> <timeout-ms> [<sent-at-epoch-ms>]\n" lines on it: it sends <signo> to the
 *       group at once (SIGKILL at once for timeout 0) and SIGKILLs the group
 *       when the timeout runs out, unless the container exited first. A later
 *       stop may move that deadline earlier, never later. The deadline is kept
 *       here, not in the agent, so it holds while the agent is busy or dead
 *       (as containerd's shim enforces StopContainer's timeout). A SIGKILL
 *       sent for a stop is recorded in exit.json as "killedAt".
 *
 *   hooklet-shim exec <pid> <start-ticks> <cwd> <argv...>
 *       Runs argv (environ inherited) in a new process group that is SIGKILLed
 *       when the container <pid> (checked against /proc start time, so a reused
 *       PID is not mistaken for it) dies, when this helper gets SIGTERM/SIGINT/
 *       SIGHUP, or when argv itself exits (leftover background processes).
 *       Reports on fd 3: "started <pid>\n", "notrunning\n" or
 *       "execfail <message>\n". Exits with argv's code, or 128+signal.
 *
 *   hooklet-shim watch
 *       The agent's one exit watcher for processes that are not its children
 *       (shims it reattached to, containers whose shim died). Reads
 *       "<key> <pid> <start-ticks>\n" lines on stdin and writes "<key>\n" on
 *       stdout once that process has exited (at once if it is not running with
 *       that start time). Exits when stdin closes, so it dies with the agent.
 *
 * Linux only (signalfd, pidfd_open, /proc). The run mode, the one that stays
 * resident per container, is kept free of stdio buffering on the log path and
 * of heap allocation so its resident memory stays tiny.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_close_range
#define SYS_close_range 436
#endif

/* After the main process exits, how long to keep reading output still held
 * by processes that escaped the group (setsid daemons) before recording the exit. */
#define DRAIN_BUDGET_MS 500

/* Caps a stop timeout (about 3 years) so its deadline in ns cannot overflow. */
#define MAX_STOP_TIMEOUT_MS 100000000000LL

static char iobuf[8192];

/* ---------- small helpers ---------- */

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static long long mono_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int write_all(int fd, const char *p, size_t n) {
  while (n > 0) {
    ssize_t w = write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    p += w;
    n -= (size_t)w;
  }
  return 0;
}

/* Field 22 of /proc/<pid>/stat (start time in clock ticks since boot) and the
 * state letter. The command name may hold spaces or ')', so parse after the
 * last ')'. Returns 0 on success. */
static int proc_stat(pid_t pid, unsigned long long *ticks, char *state) {
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  char buf[1024];
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (n <= 0) return -1;
  buf[n] = 0;
  char *p = strrchr(buf, ')');
  if (!p || p[1] != ' ') return -1;
  p += 2; /* field 3: state */
  if (state) *state = *p;
  for (int field = 3; field < 22; field++) {
    p = strchr(p, ' ');
    if (!p) return -1;
    p++;
  }
  *ticks = strtoull(p, NULL, 10);
  return 0;
}

/* Appends s to out as the body of a JSON string (no quotes). */
static size_t json_escape(char *out, size_t cap, const char *s) {
  size_t o = 0;
  for (; *s && o + 7 < cap; s++) {
    unsigned char c = (unsigned char)*s;
    if (c == '"' || c == '\\') {
      out[o++] = '\\';
      out[o++] = (char)c;
    } else if (c < 0x20) {
      o += (size_t)snprintf(out + o, cap - o, "\\u%04x", c);
    } else {
      out[o++] = (char)c;
    }
  }
  out[o] = 0;
  return o;
}

/* Writes name atomically inside dirfd: temp file, fsync-free rename. */
static int write_state(int dirfd, const char *name, const char *fmt, ...) {
  char body[2048];
  va_list ap;
  va_start(ap, fmt);
  int len = vsnprintf(body, sizeof body, fmt, ap);
  va_end(ap);
  if (len < 0 || (size_t)len >= sizeof body) len = (int)strlen(body);
  char tmp[64];
  snprintf(tmp, sizeof tmp, ".%s.tmp", name);
  int fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return -1;
  int rc = write_all(fd, body, (size_t)len);
  close(fd);
  if (rc == 0) rc = renameat(dirfd, tmp, dirfd, name);
  return rc;
}

/* /proc/sys/kernel/random/boot_id without its newline, or "" if unreadable. A
 * pid + start time pair identifies a process only within one boot. */
static void read_boot_id(char *out, size_t cap) {
  out[0] = 0;
  int fd = open("/proc/sys/kernel/random/boot_id", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;
  ssize_t n = read(fd, out, cap - 1);
  close(fd);
  if (n <= 0) n = 0;
  out[n] = 0;
  char *nl = strchr(out, '\n');
  if (nl) *nl = 0;
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

/* glibc's sigaction refuses its two internal signals (32 and 33), and its
 * posix_spawn leaves them ignored in the child: the kernel call resets them,
 * so a container starts with every signal at its default, as under runc. */
void reset_libc_internal_signals(void) {
  struct {
    void *handler;
    unsigned long flags;
    void *restorer;
    unsigned long mask;
  } dfl = {SIG_DFL, 0, NULL, 0};
  for (int s = 32; s <= 33; s++) syscall(SYS_rt_sigaction, s, &dfl, NULL, sizeof dfl.mask);
}

static void reset_child_signals(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = SIG_DFL;
  /* Dispositions set to SIG_IGN survive exec; the container must start clean. */
  for (int s = 1; s < NSIG; s++) sigaction(s, &sa, NULL);
  reset_libc_internal_signals();
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
}

/* Failure report from a forked child to its parent over a CLOEXEC pipe:
 * EOF means execvp succeeded. */
struct child_failure {
  int stage; /* 1 = chdir, 2 = exec */
  int err;
};

static void child_fail(int fd, int stage) {
  struct child_failure f = {stage, errno};
  write_all(fd, (const char *)&f, sizeof f);
  _exit(127);
}

static void describe_failure(char *out, size_t cap, const struct child_failure *f, const char *cwd,
                             const char *argv0) {
  if (f->stage == 1) {
    snprintf(out, cap, "chdir to \"%s\": %s", cwd, strerror(f->err));
  } else if (f->err == ENOENT && !strchr(argv0, '/')) {
    snprintf(out, cap, "exec: \"%s\": executable file not found in $PATH", argv0);
  } else {
    snprintf(out, cap, "exec: \"%s\": %s", argv0, strerror(f->err));
  }
}

static int block_signals_fd(const int *sigs, int n) {
  sigset_t set;
  sigemptyset(&set);
  for (int i = 0; i < n; i++) sigaddset(&set, sigs[i]);
  sigprocmask(SIG_BLOCK, &set, NULL);
  return signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
}

static void drain_signalfd(int sfd) {
  struct signalfd_siginfo si;
  while (read(sfd, &si, sizeof si) == (ssize_t)sizeof si) {
  }
}

/* ---------- run mode ---------- */

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

/* The stop control channel. A FIFO rather than a unix socket: the agent needs
 * nothing but open/write/close (no socket binding, no peer addresses), a write
 * of one short line is atomic (< PIPE_BUF), and the shim holds it open O_RDWR,
 * so it never sees EOF when an agent closes it, while a writer's non-blocking
 * open fails with ENXIO once no shim holds it: the agent then knows at once
 * that no shim will enforce the deadline and keeps the deadline itself. */
static int open_ctl(int dirfd) {
  unlinkat(dirfd, "ctl", 0);
  if (mkfifoat(dirfd, "ctl", 0600) != 0) return -1;
  return openat(dirfd, "ctl", O_RDWR | O_NONBLOCK | O_CLOEXEC);
}

struct stop_state {
  pid_t pid;
  int tfd;
  long long deadline; /* CLOCK_MONOTONIC ns; 0 = none armed */
  double killed_at;   /* wall-clock ms of the stop's SIGKILL; 0 = not sent */
};

static int still_running(pid_t pid) {
  siginfo_t si;
  memset(&si, 0, sizeof si);
  return !(waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) == 0 && si.si_pid == pid);
}

static void stop_kill(struct stop_state *st) {
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
static void read_ctl(int fd, struct stop_state *st, char *buf, size_t *have, size_t cap) {
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

static int run_mode(const char *dir, const char *cwd, char **argv) {
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

/* ---------- exec mode ---------- */

static void report(const char *fmt, ...) {
  char line[1200];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(line, sizeof line, fmt, ap);
  va_end(ap);
  if (n > 0) write_all(3, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
  close(3);
}

static int container_alive(pid_t pid, unsigned long long want) {
  unsigned long long ticks;
  char state;
  if (proc_stat(pid, &ticks, &state) != 0) return 0;
  return ticks == want && state != 'Z' && state != 'X';
}

static int exec_mode(pid_t target, unsigned long long target_ticks, const char *cwd, char **argv) {
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

/* ---------- watch mode ---------- */

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

static int watch_mode(void) {
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

/* Also linked into the spawner, which forks a shim instead of exec'ing one (shim-fork.c). */
#ifdef HOOKLET_SHIM_IN_SPAWNER
#define SHIM_MAIN hooklet_shim_main
int hooklet_shim_main(int argc, char **argv);
#else
#define SHIM_MAIN main
#endif
int SHIM_MAIN(int argc, char **argv) {
  if (argc >= 5 && strcmp(argv[1], "run") == 0) return run_mode(argv[2], argv[3], argv + 4);
  if (argc >= 6 && strcmp(argv[1], "exec") == 0) {
    return exec_mode((pid_t)atoi(argv[2]), strtoull(argv[3], NULL, 10), argv[4], argv + 5);
  }
  if (argc == 2 && strcmp(argv[1], "watch") == 0) return watch_mode();
  fprintf(stderr,
          "usage: hooklet-shim run <state-dir> <cwd> <argv...>\n"
          "       hooklet-shim exec <pid> <start-ticks> <cwd> <argv...>\n"
          "       hooklet-shim watch\n");
  return 2;
}
