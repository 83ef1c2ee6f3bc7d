#ifndef ASSIGNEES_H
#define ASSIGNEES_H

#include <stdint.h>

/*
 * The names of the units a task is assigned to, as people read them in a
 * digest or a calendar feed: "Chủ trì: A; B", "Phối hợp: C".
 */
struct store;

/*
 * The task's lead and supporting unit names, each "; "-separated ("" if
 * none), a group named once for all the members it brought in, in the
 * order of the least code each name stands for; caller frees both.  0, or
 * -1 and *cause (both NULL).
 */
int	assignees_names(struct store *, int64_t, char **, char **, char **);

#endif
