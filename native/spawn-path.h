/* Starting a file with posix_spawn as execvp would start it: the PATH search
 * against the child's own environment and the shell for a script without #!. */
#ifndef HOOKLET_SPAWN_PATH_H
#define HOOKLET_SPAWN_PATH_H
#include <spawn.h>
#include <sys/types.h>

int spawn_file(pid_t *pid, const char *path, const posix_spawn_file_actions_t *fa, const posix_spawnattr_t *attr,
               char **argv, char **envp);
int spawn_search(pid_t *pid, const char *file, const posix_spawn_file_actions_t *fa, const posix_spawnattr_t *attr,
                 char **argv, char **envp);
#endif
