/* The spawner's execvp for posix_spawn (see spawn-path.h). */
#define _GNU_SOURCE
#include "spawn-path.h"
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* execvp's search path when the environment has no PATH (glibc's _CS_PATH). */
#define DEFAULT_PATH "/bin:/usr/bin"

static const char *env_get(char **envp, const char *name) {
  size_t n = strlen(name);
  for (; *envp; envp++)
    if (strncmp(*envp, name, n) == 0 && (*envp)[n] == '=') return *envp + n + 1;
  return NULL;
}

/* posix_spawn, and for a file the kernel cannot exec (no #! line), the shell
 * on it, as execvp does. Returns 0 or an errno. */
int spawn_file(pid_t *pid, const char *path, const posix_spawn_file_actions_t *fa, const posix_spawnattr_t *attr,
               char **argv, char **envp) {
  int rc = posix_spawn(pid, path, fa, attr, argv, envp);
  if (rc != ENOEXEC) return rc;
  size_t argc = 0;
  while (argv[argc]) argc++;
  char **sh = calloc(argc + 2, sizeof *sh);
  if (!sh) return ENOMEM;
  sh[0] = "/bin/sh";
  sh[1] = (char *)path;
  if (argc > 1) memcpy(sh + 2, argv + 1, (argc - 1) * sizeof *argv);
  rc = posix_spawn(pid, sh[0], fa, attr, sh, envp);
  free(sh);
  return rc;
}

/* execvp's search (glibc's __execvpe) against the request's PATH, not the
 * spawner's: glibc's posix_spawnp reads the caller's. Each candidate is
 * checked with faccessat first, which fails with the errno execve would, so a
 * miss costs a syscall and not a clone. An empty PATH entry is the cwd. */
int spawn_search(pid_t *pid, const char *file, const posix_spawn_file_actions_t *fa, const posix_spawnattr_t *attr,
                 char **argv, char **envp) {
  if (*file == 0) return ENOENT;
  if (strchr(file, '/')) return spawn_file(pid, file, fa, attr, argv, envp);
  size_t flen = strlen(file);
  if (flen > NAME_MAX) return ENAMETOOLONG;
  const char *path = env_get(envp, "PATH");
  if (!path) path = DEFAULT_PATH;
  char buf[PATH_MAX + NAME_MAX + 2];
  int got_eacces = 0, err = ENOENT;
  for (const char *p = path;; ) {
    const char *end = strchrnul(p, ':');
    size_t dlen = (size_t)(end - p);
    if (dlen < PATH_MAX) {
      size_t at = 0;
      if (dlen > 0) {
        memcpy(buf, p, dlen);
        buf[dlen] = '/';
        at = dlen + 1;
      }
      memcpy(buf + at, file, flen + 1);
      err = faccessat(AT_FDCWD, buf, X_OK, AT_EACCESS) == 0 ? spawn_file(pid, buf, fa, attr, argv, envp) : errno;
      switch (err) {
        case 0:
          return 0;
        case EACCES:
          got_eacces = 1;
          break;
        case ENOENT:
        case ESTALE:
        case ENOTDIR:
        case ENODEV:
        case ETIMEDOUT:
          break;
        default:
          return err;
      }
    }
    if (*end == 0) break;
    p = end + 1;
  }
  return got_eacces ? EACCES : err;
}
