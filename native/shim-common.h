/* What more than one part of the shim uses: clocks, whole writes, /proc,
 * state files, and a forked child's clean start and failure report. */
#ifndef HOOKLET_SHIM_COMMON_H
#define HOOKLET_SHIM_COMMON_H
#include <stddef.h>
#include <sys/types.h>

double now_ms(void);
int write_all(int fd, const char *p, size_t n);
int proc_stat(pid_t pid, unsigned long long *ticks, char *state);
int container_alive(pid_t pid, unsigned long long want);
size_t json_escape(char *out, size_t cap, const char *s);
int write_state(int dirfd, const char *name, const char *fmt, ...);
void read_boot_id(char *out, size_t cap);
void reset_libc_internal_signals(void);
void reset_child_signals(void);
int block_signals_fd(const int *sigs, int n);

/* Failure report from a forked child to its parent over a CLOEXEC pipe:
 * EOF means execvp succeeded. */
struct child_failure {
  int stage; /* 1 = chdir, 2 = exec */
  int err;
};

void child_fail(int fd, int stage);
void describe_failure(char *out, size_t cap, const struct child_failure *f, const char *cwd, const char *argv0);
#endif
