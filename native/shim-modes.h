/* The shim's three modes, one file each, dispatched by hooklet-shim.c's main
 * (which documents them). */
#ifndef HOOKLET_SHIM_MODES_H
#define HOOKLET_SHIM_MODES_H
#include <sys/types.h>

/* shim-run.c */
int run_mode(const char *dir, const char *cwd, char **argv);
/* shim-exec.c */
int exec_mode(pid_t target, unsigned long long target_ticks, const char *cwd, char **argv);
/* shim-watch.c */
int watch_mode(void);
#endif
