/* The shim's helpers that its modes share (see shim-common.h). */
#define _GNU_SOURCE
#include "shim-common.h"
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

int write_all(int fd, const char *p, size_t n) {
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
int proc_stat(pid_t pid, unsigned long long *ticks, char *state) {
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

int container_alive(pid_t pid, unsigned long long want) {
  unsigned long long ticks;
  char state;
  if (proc_stat(pid, &ticks, &state) != 0) return 0;
  return ticks == want && state != 'Z' && state != 'X';
}

/* Appends s to out as the body of a JSON string (no quotes). */
size_t json_escape(char *out, size_t cap, const char *s) {
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
int write_state(int dirfd, const char *name, const char *fmt, ...) {
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
void read_boot_id(char *out, size_t cap) {
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

void reset_child_signals(void) {
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

void child_fail(int fd, int stage) {
  struct child_failure f = {stage, errno};
  write_all(fd, (const char *)&f, sizeof f);
  _exit(127);
}

void describe_failure(char *out, size_t cap, const struct child_failure *f, const char *cwd,
                      const char *argv0) {
  if (f->stage == 1) {
    snprintf(out, cap, "chdir to \"%s\": %s", cwd, strerror(f->err));
  } else if (f->err == ENOENT && !strchr(argv0, '/')) {
    snprintf(out, cap, "exec: \"%s\": executable file not found in $PATH", argv0);
  } else {
    snprintf(out, cap, "exec: \"%s\": %s", argv0, strerror(f->err));
  }
}

int block_signals_fd(const int *sigs, int n) {
  sigset_t set;
  sigemptyset(&set);
  for (int i = 0; i < n; i++) sigaddset(&set, sigs[i]);
  sigprocmask(SIG_BLOCK, &set, NULL);
  return signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
}
