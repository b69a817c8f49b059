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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include "shim-modes.h"

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
