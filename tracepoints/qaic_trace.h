/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * qaic tracepoints: the product's ABI. Every field is documented in
 * tracepoints/EVENTS.md; keep names, fields and meanings stable.
 *
 * Arguments are scalars only, so the events print well in trace_pipe and BPF
 * raw_tp programs read them directly. Times are ktime_get_ns() values (ns,
 * CLOCK_MONOTONIC) the driver takes anyway; durations are derived from them.
 * "dev" is the DRM minor index of the card (accel or render minor).
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM qaic

#if !defined(QAIC_TRACE_H_) || defined(TRACE_HEADER_MULTI_READ)
#define QAIC_TRACE_H_

#include <linux/tracepoint.h>

/* Start of a MANAGE ioctl, after the user's message was copied in. */
TRACE_EVENT(qaic_manage_start,
	TP_PROTO(u32 dev, u64 client, u32 tgid, u32 seq, u32 count, u32 len,
		 u32 trans_mask, u64 ts),
	TP_ARGS(dev, client, tgid, seq, count, len, trans_mask, ts),
	TP_STRUCT__entry(
		__field(u32, dev)
		__field(u64, client)
		__field(u32, tgid)
		__field(u32, seq)
		__field(u32, count)
		__field(u32, len)
		__field(u32, trans_mask)
		__field(u64, ts)
	),
	TP_fast_assign(
		__entry->dev = dev;
		__entry->client = client;
		__entry->tgid = tgid;
		__entry->seq = seq;
		__entry->count = count;
		__entry->len = len;
		__entry->trans_mask = trans_mask;
		__entry->ts = ts;
	),
	TP_printk("dev=%u client=%llu tgid=%u seq=%u count=%u len=%u trans=0x%x ts=%llu",
		  __entry->dev, __entry->client, __entry->tgid, __entry->seq,
		  __entry->count, __entry->len, __entry->trans_mask, __entry->ts)
);

/* End of a MANAGE ioctl: result is 0 or a negative errno. */
TRACE_EVENT(qaic_manage_end,
	TP_PROTO(u32 dev, u64 client, u32 seq, int result, u32 count, u32 len,
		 u64 ts, u64 duration_ns),
	TP_ARGS(dev, client, seq, result, count, len, ts, duration_ns),
	TP_STRUCT__entry(
		__field(u32, dev)
		__field(u64, client)
		__field(u32, seq)
		__field(int, result)
		__field(u32, count)
		__field(u32, len)
		__field(u64, ts)
		__field(u64, duration_ns)
	),
	TP_fast_assign(
		__entry->dev = dev;
		__entry->client = client;
		__entry->seq = seq;
		__entry->result = result;
		__entry->count = count;
		__entry->len = len;
		__entry->ts = ts;
		__entry->duration_ns = duration_ns;
	),
	TP_printk("dev=%u client=%llu seq=%u result=%d count=%u len=%u ts=%llu duration_ns=%llu",
		  __entry->dev, __entry->client, __entry->seq, __entry->result,
		  __entry->count, __entry->len, __entry->ts, __entry->duration_ns)
);

DECLARE_EVENT_CLASS(qaic_mhi_xfer_class,
	TP_PROTO(u32 dev, u32 chan, u32 len, u32 seq, int status),
	TP_ARGS(dev, chan, len, seq, status),
	TP_STRUCT__entry(
		__field(u32, dev)
		__field(u32, chan)
		__field(u32, len)
		__field(u32, seq)
		__field(int, status)
	),
	TP_fast_assign(
		__entry->dev = dev;
		__entry->chan = chan;
		__entry->len = len;
		__entry->seq = seq;
		__entry->status = status;
	),
	TP_printk("dev=%u chan=%u len=%u seq=%u status=%d",
		  __entry->dev, __entry->chan, __entry->len, __entry->seq,
		  __entry->status)
);

/* A buffer handed to MHI (mhi_queue_buf) on a control or timesync channel. */
DEFINE_EVENT(qaic_mhi_xfer_class, qaic_mhi_xfer_queued,
	TP_PROTO(u32 dev, u32 chan, u32 len, u32 seq, int status),
	TP_ARGS(dev, chan, len, seq, status)
);

/* MHI's completion callback for such a buffer. */
DEFINE_EVENT(qaic_mhi_xfer_class, qaic_mhi_xfer_done,
	TP_PROTO(u32 dev, u32 chan, u32 len, u32 seq, int status),
	TP_ARGS(dev, chan, len, seq, status)
);

DECLARE_EVENT_CLASS(qaic_workload_class,
	TP_PROTO(u32 dev, u64 client, u32 tgid, u32 dbc, u32 user, u32 queue_size,
		 int status),
	TP_ARGS(dev, client, tgid, dbc, user, queue_size, status),
	TP_STRUCT__entry(
		__field(u32, dev)
		__field(u64, client)
		__field(u32, tgid)
		__field(u32, dbc)
		__field(u32, user)
		__field(u32, queue_size)
		__field(int, status)
	),
	TP_fast_assign(
		__entry->dev = dev;
		__entry->client = client;
		__entry->tgid = tgid;
		__entry->dbc = dbc;
		__entry->user = user;
		__entry->queue_size = queue_size;
		__entry->status = status;
	),
	TP_printk("dev=%u client=%llu tgid=%u dbc=%u user=%u queue_size=%u status=%d",
		  __entry->dev, __entry->client, __entry->tgid, __entry->dbc,
		  __entry->user, __entry->queue_size, __entry->status)
);

/* The device answered an ACTIVATE: a DBC was assigned (status 0) or not. */
DEFINE_EVENT(qaic_workload_class, qaic_workload_activate,
	TP_PROTO(u32 dev, u64 client, u32 tgid, u32 dbc, u32 user, u32 queue_size,
		 int status),
	TP_ARGS(dev, client, tgid, dbc, user, queue_size, status)
);

/* A DBC was released: by DEACTIVATE, client exit or device reset. */
DEFINE_EVENT(qaic_workload_class, qaic_workload_deactivate,
	TP_PROTO(u32 dev, u64 client, u32 tgid, u32 dbc, u32 user, u32 queue_size,
		 int status),
	TP_ARGS(dev, client, tgid, dbc, user, queue_size, status)
);

/* The driver's view of the card changed state. */
TRACE_EVENT(qaic_dev_state,
	TP_PROTO(u32 dev, u32 old_state, u32 new_state, u32 reason),
	TP_ARGS(dev, old_state, new_state, reason),
	TP_STRUCT__entry(
		__field(u32, dev)
		__field(u32, old_state)
		__field(u32, new_state)
		__field(u32, reason)
	),
	TP_fast_assign(
		__entry->dev = dev;
		__entry->old_state = old_state;
		__entry->new_state = new_state;
		__entry->reason = reason;
	),
	TP_printk("dev=%u old=%s new=%s reason=%s", __entry->dev,
		  __print_symbolic(__entry->old_state,
				   { 0, "OFFLINE" }, { 1, "BOOT" }, { 2, "ONLINE" }),
		  __print_symbolic(__entry->new_state,
				   { 0, "OFFLINE" }, { 1, "BOOT" }, { 2, "ONLINE" }),
		  __print_symbolic(__entry->reason,
				   { 0, "probe" }, { 1, "control_up" }, { 2, "version_ok" },
				   { 3, "version_bad" }, { 4, "sys_err" },
				   { 5, "control_down" }, { 6, "remove" }))
);

/* One timesync round trip: device clock minus host clock, in ns. */
TRACE_EVENT(qaic_timesync,
	TP_PROTO(u32 dev, u32 seq, s64 offset_ns, u64 rtt_ns, u64 qtimer),
	TP_ARGS(dev, seq, offset_ns, rtt_ns, qtimer),
	TP_STRUCT__entry(
		__field(u32, dev)
		__field(u32, seq)
		__field(s64, offset_ns)
		__field(u64, rtt_ns)
		__field(u64, qtimer)
	),
	TP_fast_assign(
		__entry->dev = dev;
		__entry->seq = seq;
		__entry->offset_ns = offset_ns;
		__entry->rtt_ns = rtt_ns;
		__entry->qtimer = qtimer;
	),
	TP_printk("dev=%u seq=%u offset_ns=%lld rtt_ns=%llu qtimer=%llu",
		  __entry->dev, __entry->seq, __entry->offset_ns, __entry->rtt_ns,
		  __entry->qtimer)
);

/* Data path (DMA bridge). See EVENTS.md "Data path" for how they join. */

/* Entry of EXECUTE_BO / PARTIAL_EXECUTE_BO, before any check. */
TRACE_EVENT(qaic_execute,
	TP_PROTO(u32 dev, u64 client, u32 tgid, u32 dbc, u32 count, bool partial, u64 ts),
	TP_ARGS(dev, client, tgid, dbc, count, partial, ts),
	TP_STRUCT__entry(
		__field(u32, dev)
		__field(u64, client)
		__field(u32, tgid)
		__field(u32, dbc)
		__field(u32, count)
		__field(bool, partial)
		__field(u64, ts)
	),
	TP_fast_assign(
		__entry->dev = dev;
		__entry->client = client;
		__entry->tgid = tgid;
		__entry->dbc = dbc;
		__entry->count = count;
		__entry->partial = partial;
		__entry->ts = ts;
	),
	TP_printk("dev=%u client=%llu tgid=%u dbc=%u count=%u partial=%d ts=%llu",
		  __entry->dev, __entry->client, __entry->tgid, __entry->dbc,
		  __entry->count, __entry->partial, __entry->ts)
);

/* One BO's elements are in the request FIFO; the doorbell follows. */
TRACE_EVENT(qaic_bo_enqueue,
	TP_PROTO(u32 dev, u32 dbc, u16 req_id, u64 seq, u32 user, u32 handle, u64 bytes,
		 u32 elements, u32 queue_level, u64 submit_ts, u32 dir),
	TP_ARGS(dev, dbc, req_id, seq, user, handle, bytes, elements, queue_level, submit_ts,
		dir),
	TP_STRUCT__entry(
		__field(u32, dev)
		__field(u32, dbc)
		__field(u16, req_id)
		__field(u64, seq)
		__field(u32, user)
		__field(u32, handle)
		__field(u64, bytes)
		__field(u32, elements)
		__field(u32, queue_level)
		__field(u64, submit_ts)
		__field(u32, dir)
	),
	TP_fast_assign(
		__entry->dev = dev;
		__entry->dbc = dbc;
		__entry->req_id = req_id;
		__entry->seq = seq;
		__entry->user = user;
		__entry->handle = handle;
		__entry->bytes = bytes;
		__entry->elements = elements;
		__entry->queue_level = queue_level;
		__entry->submit_ts = submit_ts;
		__entry->dir = dir;
	),
	TP_printk("dev=%u dbc=%u req=%u seq=%llu user=%u handle=%u bytes=%llu elements=%u queue_level=%u submit_ts=%llu dir=%u",
		  __entry->dev, __entry->dbc, __entry->req_id, __entry->seq, __entry->user,
		  __entry->handle, __entry->bytes, __entry->elements, __entry->queue_level,
		  __entry->submit_ts, __entry->dir)
);

/* The request FIFO tail was written: one per successful execute ioctl. */
TRACE_EVENT(qaic_doorbell,
	TP_PROTO(u32 dev, u32 dbc, u32 tail, u32 bos, u32 elements, u64 ts),
	TP_ARGS(dev, dbc, tail, bos, elements, ts),
	TP_STRUCT__entry(
		__field(u32, dev)
		__field(u32, dbc)
		__field(u32, tail)
		__field(u32, bos)
		__field(u32, elements)
		__field(u64, ts)
	),
	TP_fast_assign(
		__entry->dev = dev;
		__entry->dbc = dbc;
		__entry->tail = tail;
		__entry->bos = bos;
		__entry->elements = elements;
		__entry->ts = ts;
	),
	TP_printk("dev=%u dbc=%u tail=%u bos=%u elements=%u ts=%llu",
		  __entry->dev, __entry->dbc, __entry->tail, __entry->bos,
		  __entry->elements, __entry->ts)
);

DECLARE_EVENT_CLASS(qaic_dma_class,
	TP_PROTO(u32 dev, u32 handle, u64 bytes, u32 nents, u32 dir, u64 ts, u64 duration_ns),
	TP_ARGS(dev, handle, bytes, nents, dir, ts, duration_ns),
	TP_STRUCT__entry(
		__field(u32, dev)
		__field(u32, handle)
		__field(u64, bytes)
		__field(u32, nents)
		__field(u32, dir)
		__field(u64, ts)
		__field(u64, duration_ns)
	),
	TP_fast_assign(
		__entry->dev = dev;
		__entry->handle = handle;
		__entry->bytes = bytes;
		__entry->nents = nents;
		__entry->dir = dir;
		__entry->ts = ts;
		__entry->duration_ns = duration_ns;
	),
	TP_printk("dev=%u handle=%u bytes=%llu nents=%u dir=%s ts=%llu duration_ns=%llu",
		  __entry->dev, __entry->handle, __entry->bytes, __entry->nents,
		  __print_symbolic(__entry->dir, { 0, "BIDIRECTIONAL" }, { 1, "TO_DEVICE" },
				   { 2, "FROM_DEVICE" }),
		  __entry->ts, __entry->duration_ns)
);

/* A BO's pages were DMA-mapped for the card (attach slice, PRIME import). */
DEFINE_EVENT(qaic_dma_class, qaic_dma_map,
	TP_PROTO(u32 dev, u32 handle, u64 bytes, u32 nents, u32 dir, u64 ts, u64 duration_ns),
	TP_ARGS(dev, handle, bytes, nents, dir, ts, duration_ns)
);

/* ... and unmapped (detach slice, DBC release, free of an import). */
DEFINE_EVENT(qaic_dma_class, qaic_dma_unmap,
	TP_PROTO(u32 dev, u32 handle, u64 bytes, u32 nents, u32 dir, u64 ts, u64 duration_ns),
	TP_ARGS(dev, handle, bytes, nents, dir, ts, duration_ns)
);

/* A DBC's completion MSI (or, polled=1, the polling work) found responses. */
TRACE_EVENT(qaic_dbc_irq,
	TP_PROTO(u32 dev, u32 dbc, u32 rsp_head, u32 rsp_tail, bool polled, u64 ts),
	TP_ARGS(dev, dbc, rsp_head, rsp_tail, polled, ts),
	TP_STRUCT__entry(
		__field(u32, dev)
		__field(u32, dbc)
		__field(u32, rsp_head)
		__field(u32, rsp_tail)
		__field(bool, polled)
		__field(u64, ts)
	),
	TP_fast_assign(
		__entry->dev = dev;
		__entry->dbc = dbc;
		__entry->rsp_head = rsp_head;
		__entry->rsp_tail = rsp_tail;
		__entry->polled = polled;
		__entry->ts = ts;
	),
	TP_printk("dev=%u dbc=%u rsp_head=%u rsp_tail=%u polled=%d ts=%llu",
		  __entry->dev, __entry->dbc, __entry->rsp_head, __entry->rsp_tail,
		  __entry->polled, __entry->ts)
);

/* A BO finished: all its slices answered, or its DBC was torn down. */
TRACE_EVENT(qaic_bo_complete,
	TP_PROTO(u32 dev, u32 dbc, u16 req_id, u64 seq, u32 handle, int status,
		 u64 submit_ts, u64 doorbell_ts, u64 seen_ts, u64 complete_ts),
	TP_ARGS(dev, dbc, req_id, seq, handle, status, submit_ts, doorbell_ts, seen_ts,
		complete_ts),
	TP_STRUCT__entry(
		__field(u32, dev)
		__field(u32, dbc)
		__field(u16, req_id)
		__field(u64, seq)
		__field(u32, handle)
		__field(int, status)
		__field(u64, submit_ts)
		__field(u64, doorbell_ts)
		__field(u64, seen_ts)
		__field(u64, complete_ts)
	),
	TP_fast_assign(
		__entry->dev = dev;
		__entry->dbc = dbc;
		__entry->req_id = req_id;
		__entry->seq = seq;
		__entry->handle = handle;
		__entry->status = status;
		__entry->submit_ts = submit_ts;
		__entry->doorbell_ts = doorbell_ts;
		__entry->seen_ts = seen_ts;
		__entry->complete_ts = complete_ts;
	),
	TP_printk("dev=%u dbc=%u req=%u seq=%llu handle=%u status=%d submit_ts=%llu doorbell_ts=%llu seen_ts=%llu complete_ts=%llu",
		  __entry->dev, __entry->dbc, __entry->req_id, __entry->seq, __entry->handle,
		  __entry->status, __entry->submit_ts, __entry->doorbell_ts, __entry->seen_ts,
		  __entry->complete_ts)
);

/* WAIT_BO returns (after the BO lookup; earlier errors fire nothing). */
TRACE_EVENT(qaic_wait_return,
	TP_PROTO(u32 dev, u32 dbc, u32 handle, u16 req_id, u64 seq, int result, int status,
		 u64 ts, u64 waited_ns),
	TP_ARGS(dev, dbc, handle, req_id, seq, result, status, ts, waited_ns),
	TP_STRUCT__entry(
		__field(u32, dev)
		__field(u32, dbc)
		__field(u32, handle)
		__field(u16, req_id)
		__field(u64, seq)
		__field(int, result)
		__field(int, status)
		__field(u64, ts)
		__field(u64, waited_ns)
	),
	TP_fast_assign(
		__entry->dev = dev;
		__entry->dbc = dbc;
		__entry->handle = handle;
		__entry->req_id = req_id;
		__entry->seq = seq;
		__entry->result = result;
		__entry->status = status;
		__entry->ts = ts;
		__entry->waited_ns = waited_ns;
	),
	TP_printk("dev=%u dbc=%u handle=%u req=%u seq=%llu result=%d status=%d ts=%llu waited_ns=%llu",
		  __entry->dev, __entry->dbc, __entry->handle, __entry->req_id, __entry->seq,
		  __entry->result, __entry->status, __entry->ts, __entry->waited_ns)
);

#endif /* QAIC_TRACE_H_ */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE qaic_trace
#include <trace/define_trace.h>
