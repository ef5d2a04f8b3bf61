/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Records of the qaic data-path tracepoints as a classic tracepoint program
 * sees them (struct trace_event_raw_<event> in the qaic module). Only the
 * fields read are declared: preserve_access_index makes every access a CO-RE
 * relocation, which libbpf resolves against the qaic module's BTF at load
 * time, so offsets follow tracepoints/qaic_trace.h on every kernel. The
 * ___x suffix keeps these local names apart from the module's.
 *
 * Include after vmlinux.h.
 */
#ifndef QAIC_TP_BPF_H_
#define QAIC_TP_BPF_H_

#define QAIC_TP_RECORD __attribute__((preserve_access_index))

struct trace_event_raw_qaic_execute___x {
	u32 dev;
	u32 dbc;
	u32 count;
	bool partial;
	u64 ts;
} QAIC_TP_RECORD;

struct trace_event_raw_qaic_bo_enqueue___x {
	u32 dev;
	u32 dbc;
	u64 seq;
	u32 handle;
	u64 bytes;
	u32 elements;
	u32 queue_level;
	u64 submit_ts;
	u32 dir;
} QAIC_TP_RECORD;

struct trace_event_raw_qaic_doorbell___x {
	u32 dev;
	u32 dbc;
	u32 tail;
	u32 bos;
	u32 elements;
	u64 ts;
} QAIC_TP_RECORD;

struct trace_event_raw_qaic_dbc_irq___x {
	u32 dev;
	u32 dbc;
	u32 rsp_head;
	u32 rsp_tail;
	bool polled;
	u64 ts;
} QAIC_TP_RECORD;

struct trace_event_raw_qaic_bo_complete___x {
	u32 dev;
	u32 dbc;
	u64 seq;
	u32 handle;
	int status;
	u64 doorbell_ts;
	u64 seen_ts;
	u64 complete_ts;
} QAIC_TP_RECORD;

struct trace_event_raw_qaic_wait_return___x {
	u32 dev;
	u32 dbc;
	u32 handle;
	u64 seq;
	int result;
	u64 ts;
	u64 waited_ns;
} QAIC_TP_RECORD;

#endif /* QAIC_TP_BPF_H_ */
