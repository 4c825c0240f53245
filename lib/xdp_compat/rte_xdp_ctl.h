/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef RTE_XDP_CTL_H
#define RTE_XDP_CTL_H

/**
 * @file
 * XDP control plane of a running DPDK process: what bpftool and
 * `ip link set dev X xdp` do against the kernel, done against the
 * primary process that runs the data path.
 *
 * A control handle opened in a secondary process sends each call to the
 * primary over DPDK's multi-process channel (rte_mp); the primary runs it
 * on a control thread of its own, with the same quiescence rules as the
 * API calls (rte_xdp_generic_attach(), the drivers' native attach), and
 * replies. Opened in a primary (or a process without shared config), the
 * same calls run in the calling process. Programs are loaded and JIT-ed
 * in the process that runs them; objects are opened by the caller first
 * (so that a malformed object can only take down the tool), then handed
 * over as bytes.
 *
 * Every process that has this library serves these requests once its EAL
 * is up with shared config (no --no-shconf / --in-memory), whatever the
 * application: stock dpdk-testpmd with `-d librte_net_mvneta_xdp.so` or
 * `-d librte_xdp_compat.so`. Only processes that may open the primary's
 * runtime directory (its owner's, mode 0700) can reach it.
 *
 * Ids are the library's: rte_xdp_prog_id(), rte_xdp_map_id(), DPDK port
 * ids. Every call returns 0 or a positive count on success, a negative
 * errno (the kernel's for the same fault where there is one) on error,
 * with a message in rte_xdp_ctl_error().
 *
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 */

#include <stddef.h>
#include <stdint.h>

#include <rte_compat.h>

#include "rte_xdp_map.h"
#include "rte_xdp_prog.h"

#ifdef __cplusplus
extern "C" {
#endif

struct rte_xdp_ctl;

/**
 * Open a control handle: to the primary when called in a secondary
 * process (-ENOENT when no primary serves XDP requests), else to this
 * process. Returns NULL with err filled.
 */
__rte_experimental
struct rte_xdp_ctl *rte_xdp_ctl_open(char *err, size_t err_len);

/**
 * Close a handle. What it loaded and did not pin or attach is unloaded,
 * event streams it opened are closed; a secondary that exits or is
 * killed without closing has the same done for it by the primary.
 */
__rte_experimental
void rte_xdp_ctl_close(struct rte_xdp_ctl *ctl);

/** 1 when calls go to another process. */
__rte_experimental
int rte_xdp_ctl_is_remote(const struct rte_xdp_ctl *ctl);

/** Message of the last call that failed ("" if none). */
__rte_experimental
const char *rte_xdp_ctl_error(const struct rte_xdp_ctl *ctl);

/** Attach modes, as the kernel's XDP_FLAGS_{SKB,DRV}_MODE. */
enum rte_xdp_ctl_mode {
	RTE_XDP_CTL_MODE_AUTO = 0,	/**< native if the port has it */
	RTE_XDP_CTL_MODE_DRV,		/**< native: the driver runs it */
	RTE_XDP_CTL_MODE_GENERIC,	/**< generic: any ethdev port */
};

/** Replace an attached program (without: -EBUSY, as the kernel). */
#define RTE_XDP_CTL_F_REPLACE	(1u << 0)

#define RTE_XDP_CTL_NAME_LEN	64

/** A port, as `bpftool net show` shows a device. */
struct rte_xdp_ctl_port {
	uint16_t port_id;
	uint16_t nb_rx_queues;
	uint32_t ifindex;		/**< the port's XDP ifindex */
	uint32_t drv_prog_id;		/**< native program, 0 if none */
	uint32_t generic_prog_id;	/**< generic program, 0 if none */
	uint8_t native;			/**< 1: the driver runs XDP natively */
	char name[RTE_XDP_CTL_NAME_LEN];	/**< ethdev name */
	char driver[RTE_XDP_CTL_NAME_LEN];
};

/**
 * Ports of the process: fills up to max entries, returns how many
 * there are.
 */
__rte_experimental
int rte_xdp_ctl_port_list(struct rte_xdp_ctl *ctl,
	struct rte_xdp_ctl_port *ports, unsigned int max);

/**
 * Attach program prog_id to every RX queue of a port. AUTO takes the
 * native mode where the driver has it, generic elsewhere. A program of
 * the other mode attached: -EEXIST; of the same mode without
 * RTE_XDP_CTL_F_REPLACE: -EBUSY; with it, an atomic swap. *mode, when
 * not NULL, gets the mode used.
 */
__rte_experimental
int rte_xdp_ctl_attach(struct rte_xdp_ctl *ctl, uint16_t port_id,
	uint32_t prog_id, enum rte_xdp_ctl_mode *mode, uint32_t flags);

/** Detach the program of that mode (AUTO: whichever); none is not an error. */
__rte_experimental
int rte_xdp_ctl_detach(struct rte_xdp_ctl *ctl, uint16_t port_id,
	enum rte_xdp_ctl_mode mode);

#define RTE_XDP_CTL_MAX_SIZES	16
#define RTE_XDP_CTL_MAX_IDS	64

struct rte_xdp_ctl_load_opts {
	enum rte_xdp_verify_policy verify;
	int force_xdp;		/**< "type xdp" */
	const char *sec;	/**< load only this program or section */
	/**
	 * Keep the object after the handle is closed, under this name
	 * (bpftool's pin): unloaded by rte_xdp_ctl_obj_unpin().
	 */
	const char *pin;
	/** rte_xdp_obj_opts.pkt_window (0: the default) */
	uint32_t pkt_window;
	unsigned int nb_sizes;	/**< max_entries of maps set before load */
	const char *size_map[RTE_XDP_CTL_MAX_SIZES];
	uint32_t size[RTE_XDP_CTL_MAX_SIZES];
};

/** What a load gave. */
struct rte_xdp_ctl_obj {
	uint32_t id;
	unsigned int nb_progs;
	uint32_t prog_ids[RTE_XDP_CTL_MAX_IDS];
	unsigned int nb_maps;
	uint32_t map_ids[RTE_XDP_CTL_MAX_IDS];
	/**
	 * Programs of the object that are not XDP programs, and why, ""
	 * if none: rte_xdp_obj_not_xdp() of the loaded object.
	 */
	char not_xdp[1024];
};

/**
 * Load the object at path (read and opened here, loaded where the
 * programs run).
 */
__rte_experimental
int rte_xdp_ctl_obj_load(struct rte_xdp_ctl *ctl, const char *path,
	const struct rte_xdp_ctl_load_opts *opts, struct rte_xdp_ctl_obj *obj);

/**
 * Drop a pin. The object is unloaded once no port runs its programs
 * and no handle holds it.
 */
__rte_experimental
int rte_xdp_ctl_obj_unpin(struct rte_xdp_ctl *ctl, const char *pin);

/**
 * A loaded program. info's strings point into the struct itself: a copy
 * made by assignment must point them again at its own fields.
 */
struct rte_xdp_ctl_prog {
	struct rte_xdp_prog_info info;	/**< name and section point below */
	char name[RTE_XDP_CTL_NAME_LEN];
	char section[RTE_XDP_CTL_NAME_LEN];
	char license[RTE_XDP_CTL_NAME_LEN];
	char jit[16];			/**< info.jit points here */
	char pin[RTE_XDP_CTL_NAME_LEN];	/**< "" if not pinned */
	char path[256];			/**< the object it was loaded from */
	uint32_t obj_id;		/**< 0: not loaded by a control call */
	unsigned int nb_maps;
	uint32_t map_ids[RTE_XDP_CTL_MAX_IDS];
	uint64_t run_cnt;		/**< with statistics on */
	uint64_t run_time_ns;
};

/** Loaded programs, in id order. Fills up to max, returns the count. */
__rte_experimental
int rte_xdp_ctl_prog_list(struct rte_xdp_ctl *ctl,
	struct rte_xdp_ctl_prog *progs, unsigned int max);

/**
 * bpf(BPF_PROG_TEST_RUN) where the program runs (rte_xdp_prog_test_run()):
 * data_in, ctx_in and the rooms of data_out and ctx_out go there, the
 * verdict, duration and outputs come back.
 */
__rte_experimental
int rte_xdp_ctl_prog_test_run(struct rte_xdp_ctl *ctl, uint32_t prog_id,
	struct rte_xdp_test_run *t);

/** A program as rte_bpf runs it, fetched by rte_xdp_ctl_prog_xlated(). */
struct rte_xdp_ctl_xlated {
	unsigned int nb_funcs;
	struct rte_xdp_xlated *funcs;	/**< as rte_xdp_prog_xlated() gives */
	void *priv;
};

/**
 * The code of a loaded program as rte_bpf runs it and its JIT code, each
 * function as rte_xdp_prog_xlated() gives it (pointers into *xl, valid
 * until rte_xdp_ctl_xlated_free()).
 */
__rte_experimental
int rte_xdp_ctl_prog_xlated(struct rte_xdp_ctl *ctl, uint32_t prog_id,
	struct rte_xdp_ctl_xlated *xl);

__rte_experimental
void rte_xdp_ctl_xlated_free(struct rte_xdp_ctl_xlated *xl);

/**
 * Turn run statistics (run_cnt, run_time_ns) on or off, as the kernel's
 * kernel.bpf_stats_enabled; returns the previous setting (0 or 1).
 * Off by default: the data path then pays one test per burst.
 */
__rte_experimental
int rte_xdp_ctl_stats_enable(struct rte_xdp_ctl *ctl, int enable);

/** A map. */
struct rte_xdp_ctl_map {
	uint32_t id;
	struct rte_xdp_map_def def;
	uint32_t user_value_size;	/**< rte_xdp_map_user_value_size() */
	char name[RTE_XDP_CTL_NAME_LEN];
};

/** Maps, in id order. Fills up to max, returns the count. */
__rte_experimental
int rte_xdp_ctl_map_list(struct rte_xdp_ctl *ctl,
	struct rte_xdp_ctl_map *maps, unsigned int max);

/*
 * The bpf(2) map commands. Keys and values have the map's key size and
 * user value size (-EINVAL otherwise); get_next_key with key NULL gives
 * the first key.
 */
__rte_experimental
int rte_xdp_ctl_map_lookup(struct rte_xdp_ctl *ctl, uint32_t map_id,
	const void *key, void *value);
__rte_experimental
int rte_xdp_ctl_map_update(struct rte_xdp_ctl *ctl, uint32_t map_id,
	const void *key, const void *value, uint64_t flags);
__rte_experimental
int rte_xdp_ctl_map_delete(struct rte_xdp_ctl *ctl, uint32_t map_id,
	const void *key);
__rte_experimental
int rte_xdp_ctl_map_get_next_key(struct rte_xdp_ctl *ctl, uint32_t map_id,
	const void *key, void *next_key);

/**
 * bpf(BPF_MAP_UPDATE_BATCH): *count keys and values, back to back, in
 * one request. On return *count holds how many were updated; the first
 * error ends the batch.
 */
__rte_experimental
int rte_xdp_ctl_map_update_batch(struct rte_xdp_ctl *ctl, uint32_t map_id,
	const void *keys, const void *values, uint32_t *count,
	uint64_t flags);

/** A record read from a perf event array or a ring buffer. */
typedef void (*rte_xdp_ctl_event_fn)(void *arg, unsigned int cpu,
	const void *data, uint32_t size, uint64_t lost);

/**
 * Start reading the records the programs write to a PERF_EVENT_ARRAY
 * (one buffer per lcore, as `bpftool map event_pipe`) or RINGBUF map.
 * Returns a stream id (> 0).
 */
__rte_experimental
int rte_xdp_ctl_events_open(struct rte_xdp_ctl *ctl, uint32_t map_id);

/**
 * Hand the records that arrived to fn (a lost record count comes with
 * data NULL). Returns the number of records, 0 when none waited.
 */
__rte_experimental
int rte_xdp_ctl_events_read(struct rte_xdp_ctl *ctl, int stream,
	rte_xdp_ctl_event_fn fn, void *arg);

__rte_experimental
int rte_xdp_ctl_events_close(struct rte_xdp_ctl *ctl, int stream);

/** Capture points, as xdpdump's --rx-capture entry,exit. */
#define RTE_XDP_CTL_CAPTURE_ENTRY	(1u << 0)	/**< before the program */
#define RTE_XDP_CTL_CAPTURE_EXIT	(1u << 1)	/**< after, with its verdict */

struct rte_xdp_ctl_capture_opts {
	uint16_t port_id;
	uint32_t points;	/**< RTE_XDP_CTL_CAPTURE_* */
	uint32_t snaplen;	/**< bytes kept of each frame */
	uint32_t nb_frames;	/**< size of the capture's ring and pool */
};

/**
 * What a captured frame carries besides its bytes (in its mbuf's private
 * area: rte_xdp_ctl_capture_meta()).
 */
struct rte_xdp_ctl_capture_meta {
	uint64_t tsc;		/**< rte_rdtsc() when its burst ran */
	uint64_t id;		/**< frame number: entry and exit copies share it */
	uint32_t orig_len;	/**< length of the frame (copies may be shorter) */
	uint32_t prog_id;
	uint32_t verdict;	/**< the program's return (exit) */
	/** REDIRECT: bpf_redirect()'s ifindex, or the map key */
	uint32_t redirect_ifindex;
	uint32_t redirect_map_id;	/**< 0: bpf_redirect() */
	uint16_t port_id;
	uint16_t queue;
	uint8_t point;		/**< RTE_XDP_CTL_CAPTURE_ENTRY or _EXIT */
};

struct rte_xdp_ctl_capture;
struct rte_mbuf;
struct rte_mempool;

/**
 * Capture the frames of a port at the entry and/or exit of its XDP
 * program (native or generic): copies go to a ring of the process that
 * runs the program, from a pool it creates for them, sized nb_frames. One
 * capture a port (-EBUSY); a port without a program: -ENOENT. A copy that
 * does not fit (ring full, pool empty) is counted as dropped, the frame
 * goes on. The capture ends with rte_xdp_ctl_capture_stop(), or with the
 * handle (rte_xdp_ctl_close(), or its process gone): cap is then freed.
 */
__rte_experimental
int rte_xdp_ctl_capture_start(struct rte_xdp_ctl *ctl,
	const struct rte_xdp_ctl_capture_opts *opts,
	struct rte_xdp_ctl_capture **cap);

/**
 * Take up to max captured frames, oldest first (rte_pktmbuf_free() each).
 * Returns how many, 0 when none waited.
 */
__rte_experimental
unsigned int rte_xdp_ctl_capture_read(struct rte_xdp_ctl_capture *cap,
	struct rte_mbuf **frames, unsigned int max);

/**
 * The capture's pool: the reader may take a few mbufs of its own from it
 * (64: the pool has that many more than the ring holds), with 512 bytes
 * of room past a frame's copy (rte_pcapng_copy()'s block and options).
 */
__rte_experimental
struct rte_mempool *rte_xdp_ctl_capture_pool(struct rte_xdp_ctl_capture *cap);

/** The metadata of a frame rte_xdp_ctl_capture_read() gave. */
__rte_experimental
const struct rte_xdp_ctl_capture_meta *
rte_xdp_ctl_capture_meta(const struct rte_mbuf *m);

/**
 * Frames captured and dropped by the capture so far. A request to the
 * process that runs the program: fails when it is gone.
 */
__rte_experimental
int rte_xdp_ctl_capture_stats(struct rte_xdp_ctl *ctl,
	struct rte_xdp_ctl_capture *cap, uint64_t *captured,
	uint64_t *dropped);

/** Stop a capture; frames not read are freed. cap is freed. */
__rte_experimental
int rte_xdp_ctl_capture_stop(struct rte_xdp_ctl *ctl,
	struct rte_xdp_ctl_capture *cap);

#ifdef __cplusplus
}
#endif

#endif /* RTE_XDP_CTL_H */
