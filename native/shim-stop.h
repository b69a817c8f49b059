/* The run mode's stop control: the ctl FIFO and the SIGKILL deadline the
 * shim keeps for a stop (see hooklet-shim.c, run mode). */
#ifndef HOOKLET_SHIM_STOP_H
#define HOOKLET_SHIM_STOP_H
#include <stddef.h>
#include <sys/types.h>

struct stop_state {
  pid_t pid;
  int tfd;
  long long deadline; /* CLOCK_MONOTONIC ns; 0 = none armed */
  double killed_at;   /* wall-clock ms of the stop's SIGKILL; 0 = not sent */
};

int open_ctl(int dirfd);
void stop_kill(struct stop_state *st);
void read_ctl(int fd, struct stop_state *st, char *buf, size_t *have, size_t cap);
#endif
