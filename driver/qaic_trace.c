// SPDX-License-Identifier: GPL-2.0-only
/* Instantiates the qaic tracepoints (tracepoints/qaic_trace.h). */
#define CREATE_TRACE_POINTS
#include "qaic_trace.h"
