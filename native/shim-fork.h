/* Forking hooklet-shim from the spawner instead of exec'ing it: see shim-fork.c. */
#ifndef HOOKLET_SHIM_FORK_H
#define HOOKLET_SHIM_FORK_H
#include <sys/types.h>

/* Once at startup: finds the sibling build/hooklet-shim and checks that this
 * kernel can do it; HOOKLET_SPAWNER_EXEC_SHIM=1 turns it off. */
void shim_fork_init(void);

/* If path is that shim and argv asks for `run`, forks the shim here with the
 * child set up as posix_spawn would set it up (fd 0 /dev/null, fds 1-3 the
 * pipes' write ends in wr[] or /dev/null, new session or group, default
 * signals, empty mask, exactly envp) and returns 1 with *pid set, or -1 with
 * errno set when fork failed. 0: not the shim, the caller spawns as usual. */
int shim_fork(const char *path, char **argv, char **envp, const int wr[4], int detached, int group, pid_t *pid);

/* hooklet-shim.c's main, linked into the spawner under this name. */
int hooklet_shim_main(int argc, char **argv);
#endif
