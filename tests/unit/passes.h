/*
 * The daemon's stages run once by a unit test, which fails on an error.
 */
#ifndef PASSES_H
#define PASSES_H

#include <time.h>

#include "dispatch.h"

struct config;
struct store;

/* One dispatch pass at now with a fresh dispatcher; its counts. */
struct dispatch_stats	 pass_dispatch(struct store *, const struct config *,
			     time_t);

#endif
