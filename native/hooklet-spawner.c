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
 *   K <id> <signo>
 *       signal the child <id> if it has not been reaped yet (so a reused pid
 *       is never signalled).
 * Replies on stdout, each "<id> <type> <length>\n" then <length> bytes:
 *   P  the child's pid, in decimal       F  spawn failed: the error text
 *   1/2/3  output read from that fd      E  that fd reached EOF (body: fd)
 *   X  "<code> <signal>" once the child was reaped and every pipe is at EOF
 *      (never for 'd' children: a shim outlives the spawner's interest).
 *
 * Ends when stdin closes, once every non-'d' child is done (their output is
 * discarded if the agent is gone): an exec hook in flight when the agent dies
 * runs to its end, as it did when the agent spawned it. 'd' children (shims)
 * are reaped while the spawner lives and reparented after.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_REQUEST (8u << 20)

struct child {
  unsigned long long id;
  pid_t pid; /* 0 once reaped */
  int detached;
  int fds[4]; /* read ends for fds 1..3, -1 when closed or not piped */
  int status;
  struct child *next;
};

static struct child *children;
static int epfd;
static int agent_gone; /* stdout broken: output is dropped */
static int stdin_closed;
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

static void do_spawn(char **field, int nfields) {
  /* S id flags path argc argv... envc env... */
  if (nfields < 6) return;
  unsigned long long id = strtoull(field[1], NULL, 10);
  const char *flags = field[2];
  const char *path = field[3];
  long argc = strtol(field[4], NULL, 10);
  if (argc < 1 || 5 + argc >= nfields) return;
  char **argv = &field[5];
  long envc = strtol(field[5 + argc], NULL, 10);
  if (envc < 0 || 6 + argc + envc > nfields) return;
  char **envp = &field[6 + argc];
  /* The fields are NUL-terminated in place: cut the vectors into NULL-terminated arrays. */
  char **argv_copy = calloc((size_t)argc + 1, sizeof *argv_copy);
  char **envp_copy = calloc((size_t)envc + 1, sizeof *envp_copy);
  struct child *c = calloc(1, sizeof *c);
  if (!argv_copy || !envp_copy || !c) {
    reply_str(id, "F", "out of memory");
    free(argv_copy);
    free(envp_copy);
    free(c);
    return;
  }
  memcpy(argv_copy, argv, (size_t)argc * sizeof *argv);
  memcpy(envp_copy, envp, (size_t)envc * sizeof *envp);
  c->id = id;
  c->detached = strchr(flags, 'd') != NULL;
  c->fds[0] = -1;

  posix_spawn_file_actions_t fa;
  posix_spawnattr_t attr;
  posix_spawn_file_actions_init(&fa);
  posix_spawnattr_init(&attr);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  int wr[4] = {-1, -1, -1, -1};
  const char *err = NULL;
  for (int f = 1; f <= 3; f++) {
    c->fds[f] = -1;
    if (strchr(flags, '0' + f)) {
      int p[2];
      if (pipe2(p, O_CLOEXEC) != 0) {
        err = strerror(errno);
        break;
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
  if (c->detached) sflags |= POSIX_SPAWN_SETSID;
  posix_spawnattr_setflags(&attr, sflags);

  pid_t pid = 0;
  if (!err) {
    int rc = posix_spawn(&pid, path, &fa, &attr, argv_copy, envp_copy);
    if (rc != 0) err = strerror(rc);
  }
  posix_spawn_file_actions_destroy(&fa);
  posix_spawnattr_destroy(&attr);
  free(argv_copy);
  free(envp_copy);
  for (int f = 1; f <= 3; f++)
    if (wr[f] >= 0) close(wr[f]);
  if (err) {
    for (int f = 1; f <= 3; f++)
      if (c->fds[f] >= 0) close(c->fds[f]);
    free(c);
    reply_str(id, "F", err);
    return;
  }
  c->pid = pid;
  c->next = children;
  children = c;
  char body[24];
  snprintf(body, sizeof body, "%d", (int)pid);
  reply_str(id, "P", body);
  for (int f = 1; f <= 3; f++) {
    if (c->fds[f] < 0) continue;
    fcntl(c->fds[f], F_SETFL, O_NONBLOCK);
    /* The child's address and the fd number (1-3) in one tag; 0 and 1 are stdin and the signalfd. */
    struct epoll_event ev = {.events = EPOLLIN, .data.u64 = ((unsigned long long)(uintptr_t)c << 2) | (unsigned)f};
    epoll_ctl(epfd, EPOLL_CTL_ADD, c->fds[f], &ev);
  }
}

static void do_kill(char **field, int nfields) {
  if (nfields < 3) return;
  struct child *c = find(strtoull(field[1], NULL, 10));
  if (c && c->pid != 0) kill(c->pid, atoi(field[2]));
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
  else if (n > 0 && strcmp(field[0], "K") == 0) do_kill(field, n);
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
    int status;
    pid_t pid = waitpid(-1, &status, WNOHANG);
    if (pid <= 0) return;
    for (struct child *c = children; c; c = c->next) {
      if (c->pid != pid) continue;
      c->pid = 0;
      c->status = status;
      maybe_finish(c);
      break;
    }
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
  signal(SIGPIPE, SIG_IGN);
  /* Ctrl-C on `hooklet run` reaches the whole foreground group: the agent
   * handles it (graceful stop, which needs preStop hooks spawned). */
  signal(SIGINT, SIG_IGN);
  signal(SIGQUIT, SIG_IGN);
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
  struct epoll_event ev = {.events = EPOLLIN, .data.u64 = 0};
  epoll_ctl(epfd, EPOLL_CTL_ADD, 0, &ev);
  ev.data.u64 = 1;
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
      if (tag == 0) read_requests();
      else if (tag == 1) reap(sfd);
      else relay((struct child *)(uintptr_t)(tag >> 2), (int)(tag & 3));
    }
  }
  return 0;
}
