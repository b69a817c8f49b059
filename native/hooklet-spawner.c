/*
 * hooklet-spawner: starts processes for the agent, so that the agent never
 * forks. Node's spawn() forks the whole agent (a ~100 MiB address space) and
 * waits for the exec, synchronously, on its event loop: 4-6 ms per process on
 * a loaded 2-core machine, for every container shim and every exec hook. This
 * small process does it with posix_spawn (vfork semantics: no page tables
 * copied) and relays the children's output, so a start costs the agent one
 * pipe write. The same role as a zygote or Python's forkserver.
 *
 * Protocol. Requests on stdin, each "<length>\n" then <length> bytes of
 * NUL-terminated fields:
 *   S <id> <flags> <path> <argc> <argv...> <envc> <env...>
 *       spawn <path> with argv and exactly env. flags: 'd' new session
 *       (setsid), '1' '2' '3' pipe that fd to the agent (else /dev/null).
 *       stdin is always /dev/null; the cwd is "/".
 *   X <id> <target-pid> <target-start-ticks> <cwd> <argc> <argv...> <envc> <env...>
 *       an exec hook or probe inside a running container, with exactly the
 *       semantics `hooklet-shim exec` has (see hooklet-shim.c), minus that
 *       helper process: only if <target-pid> still is the process that
 *       started at <target-start-ticks> (/proc/<pid>/stat field 22, checked
 *       after pidfd_open so a reused pid is never mistaken for it), argv runs
 *       in a new process group, in <cwd>, argv[0] looked up in env's PATH as
 *       execvp does, fds 1 and 2 piped, stdin /dev/null. Its group is
 *       SIGKILLed when the target dies, when argv exits (leftover background
 *       processes do not outlive it) and on any K.
 *   K <id> <signo>
 *       signal the child <id> if it has not been reaped yet (so a reused pid
 *       is never signalled); for an X child, SIGKILL its whole group.
 * Replies on stdout, each "<id> <type> <length>\n" then <length> bytes:
 *   P  the child's pid, in decimal       F  spawn failed: the error text
 *   1/2/3  output read from that fd      E  that fd reached EOF (body: fd)
 *   X  "<code> <signal>" once the child was reaped and every pipe is at EOF
 *      (never for 'd' children: a shim outlives the spawner's interest).
 *   For X requests only, each final, instead of P:
 *   N  the target is not running: nothing ran
 *   F  argv could not start; the text is the shim's: `chdir to "<cwd>": …`,
 *      `exec: "<argv0>": executable file not found in $PATH` or
 *      `exec: "<argv0>": <strerror>`
 *   U  no pidfd_open here (body: why): nothing ran, the agent runs the
 *      hook through `hooklet-shim exec`, which can do without.
 *   An unknown request kind gets F.
 *
 * Ends when stdin closes, once every non-'d' child is done (their output is
 * discarded if the agent is gone): an exec hook in flight when the agent dies
 * runs to its end, as it did when the agent spawned it, and still dies with
 * its container. 'd' children (shims) are reaped while the spawner lives and
 * reparented after. HOOKLET_SPAWNER_NO_PIDFD=1 in the spawner's environment
 * makes every X request answer U (tests of the agent's fallback).
 *
 * A request to spawn the sibling build/hooklet-shim in `run` mode forks the
 * shim's code, linked in here, instead of exec'ing it (shim-fork.c);
 * HOOKLET_SPAWNER_EXEC_SHIM=1 exec's it like any other path.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "shim-fork.h"
#include "spawn-path.h"

#ifndef SYS_close_range
#define SYS_close_range 436
#endif

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

#define MAX_REQUEST (8u << 20)

struct child {
  unsigned long long id;
  pid_t pid; /* 0 once reaped */
  int detached;
  int group;  /* an X child: leader of its own process group, killed as a whole */
  int pidfd;  /* an X child's target, -1 once it died or the child was reaped */
  int fds[4]; /* read ends for fds 1..3, -1 when closed or not piped */
  int status;
  struct child *next;
};

/* epoll tags: 0 stdin, 1 the signalfd; a child's pipe is its address << 2 |
 * fd (1-3); a target's pidfd is the request id << 2 (low bits 0), looked up
 * by id because a reap earlier in the same batch may have freed the child. */
#define TAG_STDIN 0
#define TAG_SIGNALS 1

static struct child *children;
static int epfd;
static int agent_gone; /* stdout broken: output is dropped */
static int stdin_closed;
static int no_pidfd; /* HOOKLET_SPAWNER_NO_PIDFD: act as a kernel without pidfd_open */
static char iobuf[65536];

static void write_all(const char *p, size_t n) {
  while (n > 0 && !agent_gone) {
    ssize_t w = write(1, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      agent_gone = 1;
      return;
    }
    p += w;
    n -= (size_t)w;
  }
}

static void reply(unsigned long long id, const char *type, const char *body, size_t n) {
  char head[64];
  int h = snprintf(head, sizeof head, "%llu %s %zu\n", id, type, n);
  write_all(head, (size_t)h);
  write_all(body, n);
}

static void reply_str(unsigned long long id, const char *type, const char *body) { reply(id, type, body, strlen(body)); }

static void close_pidfd(struct child *c) {
  if (c->pidfd < 0) return;
  epoll_ctl(epfd, EPOLL_CTL_DEL, c->pidfd, NULL);
  close(c->pidfd);
  c->pidfd = -1;
}

/* Frees a child once the agent has everything it will get about it. */
static void maybe_finish(struct child *c) {
  if (c->pid != 0) return;
  for (int f = 1; f <= 3; f++)
    if (c->fds[f] >= 0) return;
  if (!c->detached) {
    char body[32];
    int code = WIFEXITED(c->status) ? WEXITSTATUS(c->status) : -1;
    int sig = WIFSIGNALED(c->status) ? WTERMSIG(c->status) : 0;
    snprintf(body, sizeof body, "%d %d", code, sig);
    reply_str(c->id, "X", body);
  }
  close_pidfd(c);
  for (struct child **pp = &children; *pp; pp = &(*pp)->next) {
    if (*pp == c) {
      *pp = c->next;
      break;
    }
  }
  free(c);
}

static void close_fd(struct child *c, int f) {
  epoll_ctl(epfd, EPOLL_CTL_DEL, c->fds[f], NULL);
  close(c->fds[f]);
  c->fds[f] = -1;
  char body[2] = {(char)('0' + f), 0};
  reply_str(c->id, "E", body);
}

static struct child *find(unsigned long long id) {
  for (struct child *c = children; c; c = c->next)
    if (c->id == id) return c;
  return NULL;
}

/* "<n>" at field[*at] then n fields, as a NULL-terminated copy of the
 * pointers (the fields are NUL-terminated in place); *at moves past them.
 * NULL if malformed or out of memory. */
static char **vector(char **field, int nfields, int *at, long min) {
  if (*at >= nfields) return NULL;
  long n = strtol(field[*at], NULL, 10);
  if (n < min || n > nfields - *at - 1) return NULL;
  char **v = calloc((size_t)n + 1, sizeof *v);
  if (!v) return NULL;
  memcpy(v, &field[*at + 1], (size_t)n * sizeof *v);
  *at += 1 + (int)n;
  return v;
}

struct launch {
  const char *path; /* NULL: look argv[0] up in envp's PATH, as execvp does */
  char **argv, **envp;
  const char *pipes; /* the fds to pipe: '1' '2' '3' */
  int detached;      /* new session */
  int group;         /* new process group */
};

/* Starts a child as asked and follows it. Returns 0, or an errno with
 * *exec_failed telling whether exec itself failed (else the setup did). */
static int launch(struct child *c, const struct launch *l, int *exec_failed) {
  *exec_failed = 0;
  c->detached = l->detached;
  c->group = l->group;
  c->fds[0] = -1;
  posix_spawn_file_actions_t fa;
  posix_spawnattr_t attr;
  posix_spawn_file_actions_init(&fa);
  posix_spawnattr_init(&attr);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  int wr[4] = {-1, -1, -1, -1};
  int err = 0;
  for (int f = 1; f <= 3; f++) {
    c->fds[f] = -1;
    if (err) continue;
    if (strchr(l->pipes, '0' + f)) {
      int p[2];
      if (pipe2(p, O_CLOEXEC) != 0) {
        err = errno;
        continue;
      }
      c->fds[f] = p[0];
      wr[f] = p[1];
      posix_spawn_file_actions_adddup2(&fa, p[1], f);
    } else if (f < 3) {
      posix_spawn_file_actions_addopen(&fa, f, "/dev/null", O_WRONLY, 0);
    }
  }
  /* Children start with default dispositions and an empty mask, whatever the spawner ignores or blocks. */
  sigset_t none, all;
  sigemptyset(&none);
  sigfillset(&all);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &all);
  short sflags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF;
  if (l->detached) sflags |= POSIX_SPAWN_SETSID;
  if (l->group) {
    sflags |= POSIX_SPAWN_SETPGROUP;
    posix_spawnattr_setpgroup(&attr, 0);
  }
  posix_spawnattr_setflags(&attr, sflags);

  pid_t pid = 0;
  int forked = err ? 0 : shim_fork(l->path, l->argv, l->envp, wr, l->detached, l->group, &pid);
  if (forked < 0) err = errno;
  if (!err && !forked) {
    err = l->path ? spawn_file(&pid, l->path, &fa, &attr, l->argv, l->envp)
                  : spawn_search(&pid, l->argv[0], &fa, &attr, l->argv, l->envp);
    *exec_failed = err != 0;
  }
  posix_spawn_file_actions_destroy(&fa);
  posix_spawnattr_destroy(&attr);
  for (int f = 1; f <= 3; f++)
    if (wr[f] >= 0) close(wr[f]);
  if (err) {
    for (int f = 1; f <= 3; f++)
      if (c->fds[f] >= 0) close(c->fds[f]);
    return err;
  }
  c->pid = pid;
  c->next = children;
  children = c;
  char body[24];
  snprintf(body, sizeof body, "%d", (int)pid);
  reply_str(c->id, "P", body);
  for (int f = 1; f <= 3; f++) {
    if (c->fds[f] < 0) continue;
    fcntl(c->fds[f], F_SETFL, O_NONBLOCK);
    struct epoll_event ev = {.events = EPOLLIN, .data.u64 = ((unsigned long long)(uintptr_t)c << 2) | (unsigned)f};
    epoll_ctl(epfd, EPOLL_CTL_ADD, c->fds[f], &ev);
  }
  return 0;
}

/* A child record for request `id` and its argv/env vectors (fields from
 * `at`: argc argv... envc env...); NULL after replying F when they are
 * malformed or memory ran out. The caller frees the vectors. */
static struct child *new_child(unsigned long long id, char **field, int nfields, int at, char ***argv, char ***envp) {
  *argv = vector(field, nfields, &at, 1);
  *envp = *argv ? vector(field, nfields, &at, 0) : NULL;
  struct child *c = *envp ? calloc(1, sizeof *c) : NULL;
  if (!c) {
    reply_str(id, "F", *argv && *envp ? "out of memory" : "malformed request");
    free(*argv);
    free(*envp);
    return NULL;
  }
  c->id = id;
  c->pidfd = -1;
  return c;
}

static void do_spawn(char **field, int nfields) {
  /* S id flags path argc argv... envc env... */
  if (nfields < 6) return;
  unsigned long long id = strtoull(field[1], NULL, 10);
  char **argv, **envp;
  struct child *c = new_child(id, field, nfields, 4, &argv, &envp);
  if (!c) return;
  struct launch l = {field[3], argv, envp, field[2], strchr(field[2], 'd') != NULL, 0};
  int exec_failed;
  int err = launch(c, &l, &exec_failed);
  free(argv);
  free(envp);
  if (err) {
    free(c);
    reply_str(id, "F", strerror(err));
  }
}

/* Field 22 of /proc/<pid>/stat (start time in clock ticks since boot) and the
 * state letter, as the shim reads them (shim-common.c): the command name may
 * hold spaces or ')', so parse after the last ')'. */
static int target_alive(pid_t pid, unsigned long long want) {
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  char buf[1024];
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (n <= 0) return 0;
  buf[n] = 0;
  char *p = strrchr(buf, ')');
  if (!p || p[1] != ' ') return 0;
  p += 2;
  char state = *p;
  for (int field = 3; field < 22; field++) {
    p = strchr(p, ' ');
    if (!p) return 0;
    p++;
  }
  return strtoull(p, NULL, 10) == want && state != 'Z' && state != 'X';
}

static void do_exec_in(char **field, int nfields) {
  /* X id target-pid target-ticks cwd argc argv... envc env... */
  if (nfields < 2) return;
  unsigned long long id = strtoull(field[1], NULL, 10);
  if (id == 0) return; /* its pidfd's tag would be stdin's */
  char **argv, **envp;
  struct child *c = nfields > 5 ? new_child(id, field, nfields, 5, &argv, &envp) : NULL;
  if (!c) {
    if (nfields <= 5) reply_str(id, "F", "malformed request");
    return;
  }
  pid_t target = (pid_t)strtol(field[2], NULL, 10);
  unsigned long long ticks = strtoull(field[3], NULL, 10);
  const char *cwd = field[4];
  const char *refusal = NULL; /* the reply type when nothing may run */
  char msg[PATH_MAX + 128] = "";
  int pidfd = -1;
  if (no_pidfd) {
    refusal = "U";
    snprintf(msg, sizeof msg, "pidfd_open: %s (HOOKLET_SPAWNER_NO_PIDFD)", strerror(ENOSYS));
  } else if (target > 0 && (pidfd = (int)syscall(SYS_pidfd_open, target, 0)) < 0 && errno != ESRCH) {
    refusal = "U";
    snprintf(msg, sizeof msg, "pidfd_open: %s", strerror(errno));
  } else if (pidfd < 0 || !target_alive(target, ticks)) {
    /* Checked after opening the pidfd: a start time that still matches
     * means the pidfd is the container's, not a process that reused its pid. */
    refusal = "N";
  } else if (chdir(cwd) != 0) {
    /* The child inherits the cwd: chdir here, so a chdir failure is told
     * apart from an exec one (posix_spawn returns a bare errno for both),
     * and relative PATH entries resolve as they would after its chdir. */
    refusal = "F";
    snprintf(msg, sizeof msg, "chdir to \"%s\": %s", cwd, strerror(errno));
  } else {
    struct launch l = {NULL, argv, envp, "12", 0, 1};
    int exec_failed;
    int err = launch(c, &l, &exec_failed);
    /* Every other child starts in "/", which always exists. */
    if (chdir("/") != 0) _exit(3);
    if (err) refusal = "F";
    if (err && exec_failed && err == ENOENT && !strchr(argv[0], '/')) {
      snprintf(msg, sizeof msg, "exec: \"%s\": executable file not found in $PATH", argv[0]);
    } else if (err && exec_failed) {
      snprintf(msg, sizeof msg, "exec: \"%s\": %s", argv[0], strerror(err));
    } else if (err) {
      snprintf(msg, sizeof msg, "%s", strerror(err));
    }
  }
  free(argv);
  free(envp);
  if (refusal) {
    if (pidfd >= 0) close(pidfd);
    free(c);
    reply_str(id, refusal, msg);
    return;
  }
  c->pidfd = pidfd;
  struct epoll_event ev = {.events = EPOLLIN, .data.u64 = id << 2};
  epoll_ctl(epfd, EPOLL_CTL_ADD, pidfd, &ev);
}

/* An X child's target died: the hook dies with its container. */
static void target_died(unsigned long long id) {
  struct child *c = find(id);
  if (!c || c->pidfd < 0) return;
  if (c->pid != 0) kill(-c->pid, SIGKILL);
  close_pidfd(c);
}

static void do_kill(char **field, int nfields) {
  if (nfields < 3) return;
  struct child *c = find(strtoull(field[1], NULL, 10));
  if (!c || c->pid == 0) return;
  /* The exec helper this replaces answered any stop request (the agent's
   * exec timeout) by killing the command's whole group. */
  if (c->group) kill(-c->pid, SIGKILL);
  else kill(c->pid, atoi(field[2]));
}

/* Splits one request into its NUL-terminated fields and runs it. */
static void handle(char *req, size_t len) {
  int cap = 64, n = 0;
  char **field = malloc((size_t)cap * sizeof *field);
  if (!field) return;
  for (size_t i = 0; i < len;) {
    if (n == cap) {
      cap *= 2;
      char **grown = realloc(field, (size_t)cap * sizeof *field);
      if (!grown) {
        free(field);
        return;
      }
      field = grown;
    }
    field[n++] = req + i;
    while (i < len && req[i] != 0) i++;
    i++;
  }
  if (n > 0 && strcmp(field[0], "S") == 0) do_spawn(field, n);
  else if (n > 0 && strcmp(field[0], "X") == 0) do_exec_in(field, n);
  else if (n > 0 && strcmp(field[0], "K") == 0) do_kill(field, n);
  else if (n > 1) reply_str(strtoull(field[1], NULL, 10), "F", "unknown request (is build/hooklet-spawner older than the agent?)");
  free(field);
}

static char *inbuf;
static size_t inlen, incap;

/* Reads what stdin has; runs every complete request. */
static void read_requests(void) {
  if (incap - inlen < 65536) {
    size_t cap = incap ? incap * 2 : 131072;
    char *grown = realloc(inbuf, cap);
    if (!grown) _exit(1);
    inbuf = grown;
    incap = cap;
  }
  ssize_t r = read(0, inbuf + inlen, incap - inlen);
  if (r < 0) {
    if (errno == EINTR || errno == EAGAIN) return;
    r = 0;
  }
  if (r == 0) {
    stdin_closed = 1;
    epoll_ctl(epfd, EPOLL_CTL_DEL, 0, NULL);
    return;
  }
  inlen += (size_t)r;
  size_t at = 0;
  for (;;) {
    char *nl = memchr(inbuf + at, '\n', inlen - at);
    if (!nl) break;
    size_t len = strtoul(inbuf + at, NULL, 10);
    size_t body = (size_t)(nl - inbuf) + 1;
    if (len > MAX_REQUEST) _exit(2); /* the agent is broken: fail loudly, it respawns us */
    if (inlen - body < len) {
      while (incap < body + len) {
        char *grown = realloc(inbuf, incap * 2);
        if (!grown) _exit(1);
        inbuf = grown;
        incap *= 2;
      }
      break;
    }
    handle(inbuf + body, len);
    at = body + len;
  }
  memmove(inbuf, inbuf + at, inlen - at);
  inlen -= at;
}

static void reap(int sfd) {
  struct signalfd_siginfo si;
  while (read(sfd, &si, sizeof si) == (ssize_t)sizeof si) {
  }
  for (;;) {
    siginfo_t info;
    memset(&info, 0, sizeof info);
    /* WNOWAIT first: while the leader is an unreaped zombie its pid, and so
     * its group id, cannot be reused, so the group kill hits only its group. */
    if (waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT) != 0 || info.si_pid == 0) return;
    pid_t pid = info.si_pid;
    struct child *c = children;
    while (c && c->pid != pid) c = c->next;
    /* Leftover background processes of an exec do not outlive it. */
    if (c && c->group) kill(-pid, SIGKILL);
    int status = 0;
    if (waitpid(pid, &status, 0) != pid) return;
    if (!c) continue;
    c->pid = 0;
    c->status = status;
    close_pidfd(c);
    maybe_finish(c);
  }
}

static void relay(struct child *c, int f) {
  for (;;) {
    ssize_t r = read(c->fds[f], iobuf, sizeof iobuf);
    if (r > 0) {
      char type[2] = {(char)('0' + f), 0};
      reply(c->id, type, iobuf, (size_t)r);
      if ((size_t)r < sizeof iobuf) return;
      continue;
    }
    if (r < 0 && (errno == EINTR)) continue;
    if (r < 0 && errno == EAGAIN) return;
    close_fd(c, f);
    maybe_finish(c);
    return;
  }
}

static int busy(void) {
  for (struct child *c = children; c; c = c->next)
    if (!c->detached) return 1;
  return 0;
}

int main(int argc, char **argv) {
  (void)argc;
  (void)argv;
  /* Whatever the agent's own parent left open without close-on-exec: no child
   * (shim, container, hook) inherits it, as no container does from the kubelet. */
  syscall(SYS_close_range, 3U, ~0U, 0);
  signal(SIGPIPE, SIG_IGN);
  /* Ctrl-C on `hooklet run` reaches the whole foreground group: the agent
   * handles it (graceful stop, which needs preStop hooks spawned). */
  signal(SIGINT, SIG_IGN);
  signal(SIGQUIT, SIG_IGN);
  const char *np = getenv("HOOKLET_SPAWNER_NO_PIDFD");
  no_pidfd = np && strcmp(np, "1") == 0;
  shim_fork_init();
  if (chdir("/") != 0) return 1;
  struct rlimit rl;
  if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
  }
  sigset_t chld;
  sigemptyset(&chld);
  sigaddset(&chld, SIGCHLD);
  sigprocmask(SIG_BLOCK, &chld, NULL);
  int sfd = signalfd(-1, &chld, SFD_CLOEXEC | SFD_NONBLOCK);
  epfd = epoll_create1(EPOLL_CLOEXEC);
  if (sfd < 0 || epfd < 0) return 1;
  struct epoll_event ev = {.events = EPOLLIN, .data.u64 = TAG_STDIN};
  epoll_ctl(epfd, EPOLL_CTL_ADD, 0, &ev);
  ev.data.u64 = TAG_SIGNALS;
  epoll_ctl(epfd, EPOLL_CTL_ADD, sfd, &ev);
  struct epoll_event events[64];
  while (!stdin_closed || busy()) {
    int n = epoll_wait(epfd, events, 64, -1);
    if (n < 0) {
      if (errno == EINTR) continue;
      return 1;
    }
    for (int i = 0; i < n; i++) {
      unsigned long long tag = events[i].data.u64;
      if (tag == TAG_STDIN) read_requests();
      else if (tag == TAG_SIGNALS) reap(sfd);
      else if ((tag & 3) == 0) target_died(tag >> 2);
      else relay((struct child *)(uintptr_t)(tag >> 2), (int)(tag & 3));
    }
  }
  return 0;
}
