/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The control server: what each control request does in the process that
 * runs the programs, whoever sent it (a secondary through xdp_ctl_mp.c,
 * or this process through a local handle).
 *
 * Objects loaded by requests are kept here, with the kernel's lifetime
 * rules for a loaded program: it lives while a session (the kernel's fd)
 * holds it, while it is pinned, or while a port runs one of its programs;
 * the last of these to go unloads it. Event streams belong to the session
 * that opened them. A session ends when its peer says so or when its
 * liveness fd reports the peer gone (killed, exited).
 *
 * Requests are served one at a time under one lock; each runs with the
 * quiescence rules of the API it calls. Log lines of warning level and
 * above that a request causes on the serving thread are its error
 * message when it fails without one of its own.
 */

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_ethdev.h>
#include <rte_log.h>
#include <rte_mempool.h>
#include <rte_ring.h>
#include <rte_string_fns.h>
#include <rte_tailq.h>

#include "rte_xdp_ctl.h"
#include "rte_xdp_events.h"
#include "rte_xdp_generic.h"
#include "rte_xdp_native.h"
#include "xdp_capture.h"
#include "xdp_compat_log.h"
#include "xdp_ctl_internal.h"
#include "xdp_prog_internal.h"

/* Largest reply of one events read: the rest waits for the next. */
#define EVENTS_READ_MAX		(1u << 20)
#define EVENTS_PAGES		64

struct ctl_obj {
	TAILQ_ENTRY(ctl_obj) next;
	uint32_t id;
	uint32_t sid;		/* session holding it, 0 once it is gone */
	char pin[RTE_XDP_CTL_NAME_LEN];	/* "" if not pinned */
	struct rte_xdp_obj *obj;
};

struct ctl_stream {
	TAILQ_ENTRY(ctl_stream) next;
	uint32_t id;
	uint32_t sid;
	struct rte_xdp_perf_buffer *pb;
	struct rte_xdp_ring_buffer *rb;
	struct xdpc_wbuf *out;	/* the reply being filled by a read */
	uint32_t nb_out;
};

struct ctl_session {
	TAILQ_ENTRY(ctl_session) next;
	uint32_t id;
	int fd;			/* liveness: hangs up when the peer is gone */
};

static pthread_mutex_t ctl_lock = PTHREAD_MUTEX_INITIALIZER;
static TAILQ_HEAD(, ctl_obj) objs = TAILQ_HEAD_INITIALIZER(objs);
static TAILQ_HEAD(, ctl_stream) streams = TAILQ_HEAD_INITIALIZER(streams);
static TAILQ_HEAD(, ctl_session) sessions =
	TAILQ_HEAD_INITIALIZER(sessions);
static uint32_t next_obj_id = 1, next_stream_id = 1, next_sid = 1;

/* ---- error messages from the log ---- */

struct capture {
	char *buf;
	size_t size;
	size_t len;
};

static __thread struct capture *capturing;
static FILE *log_under;		/* where the log went before the tee */

static ssize_t
tee_write(void *cookie, const char *buf, size_t n)
{
	struct capture *c = capturing;

	RTE_SET_USED(cookie);
	if (c != NULL && rte_log_cur_msg_loglevel() <= (int)RTE_LOG_WARNING &&
	    c->len + 1 < c->size) {
		size_t k = RTE_MIN(n, c->size - c->len - 1);

		memcpy(c->buf + c->len, buf, k);
		c->len += k;
		c->buf[c->len] = '\0';
	}
	if (fwrite(buf, 1, n, log_under) != n)
		return -1;
	fflush(log_under);
	return n;
}

/* Route the log through a tee that can keep a request's lines. */
static void
capture_install(void)
{
	cookie_io_functions_t io = { .write = tee_write };
	FILE *tee;

	if (log_under != NULL)
		return;
	log_under = rte_log_get_stream();
	tee = fopencookie(NULL, "w", io);
	if (tee == NULL || rte_openlog_stream(tee) != 0) {
		if (tee != NULL)
			fclose(tee);
		log_under = NULL;
		return;
	}
	setvbuf(tee, NULL, _IOLBF, 0);
}

/* The captured lines as one message: trailing newline dropped. */
static void
capture_to_err(const struct capture *c, char *err, size_t err_len)
{
	size_t n = c->len;

	while (n > 0 && c->buf[n - 1] == '\n')
		n--;
	snprintf(err, err_len, "%.*s", (int)n, c->buf);
}

/* ---- sessions and objects ---- */

static struct ctl_session *
session_find(uint32_t sid)
{
	struct ctl_session *s;

	TAILQ_FOREACH(s, &sessions, next)
		if (s->id == sid)
			return s;
	return NULL;
}

static int
prog_attached(const struct rte_xdp_prog *prog)
{
	uint16_t port, q;

	RTE_ETH_FOREACH_DEV(port) {
		struct rte_eth_dev_info di;

		if (rte_xdp_native_prog_get(port) == prog)
			return 1;
		if (rte_eth_dev_info_get(port, &di) != 0)
			continue;
		for (q = 0; q < di.nb_rx_queues; q++)
			if (rte_xdp_generic_prog_get(port, q) == prog)
				return 1;
	}
	return 0;
}

static int
obj_in_use(const struct ctl_obj *o)
{
	unsigned int i;

	if (o->pin[0] != '\0' || o->sid != 0)
		return 1;
	for (i = 0; i < rte_xdp_obj_nb_progs(o->obj); i++)
		if (prog_attached(rte_xdp_obj_prog(o->obj, i)))
			return 1;
	return 0;
}

/* Unload the objects nothing holds any more. */
static void
objs_collect(void)
{
	struct ctl_obj *o, *tmp;

	RTE_TAILQ_FOREACH_SAFE(o, &objs, next, tmp) {
		if (obj_in_use(o))
			continue;
		TAILQ_REMOVE(&objs, o, next);
		rte_xdp_obj_close(o->obj);
		free(o);
	}
}

static const struct ctl_obj *
obj_of_prog(const struct rte_xdp_prog *prog)
{
	const struct ctl_obj *o;

	TAILQ_FOREACH(o, &objs, next)
		if (o->obj == prog->obj)
			return o;
	return NULL;
}

static void
stream_free(struct ctl_stream *st)
{
	TAILQ_REMOVE(&streams, st, next);
	rte_xdp_perf_buffer_free(st->pb);
	rte_xdp_ring_buffer_free(st->rb);
	free(st);
}

static void
session_release(struct ctl_session *s)
{
	struct ctl_stream *st, *tst;
	struct ctl_obj *o;

	RTE_TAILQ_FOREACH_SAFE(st, &streams, next, tst)
		if (st->sid == s->id)
			stream_free(st);
	TAILQ_FOREACH(o, &objs, next)
		if (o->sid == s->id)
			o->sid = 0;
	xdpc_capture_stop(s->id, UINT16_MAX);
	TAILQ_REMOVE(&sessions, s, next);
	if (s->fd >= 0)
		close(s->fd);
	free(s);
	objs_collect();
}

unsigned int
xdpc_ctl_session_fds(int *fds, uint32_t *sids, unsigned int max)
{
	struct ctl_session *s;
	unsigned int n = 0;

	pthread_mutex_lock(&ctl_lock);
	TAILQ_FOREACH(s, &sessions, next) {
		if (s->fd < 0)
			continue;
		if (n < max) {
			fds[n] = s->fd;
			sids[n] = s->id;
		}
		n++;
	}
	pthread_mutex_unlock(&ctl_lock);
	return n;
}

void
xdpc_ctl_session_end(uint32_t sid)
{
	struct ctl_session *s;

	pthread_mutex_lock(&ctl_lock);
	s = session_find(sid);
	if (s != NULL) {
		XDPC_LOG(INFO, "control session %u ended", sid);
		session_release(s);
	}
	pthread_mutex_unlock(&ctl_lock);
}

/* ---- requests ---- */

struct req {
	uint32_t sid;
	struct xdpc_rbuf *in;
	struct xdpc_wbuf *out;
	int fd;
	char *err;
	size_t err_len;
};

static int __rte_format_printf(3, 4)
req_err(struct req *r, int ret, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->err, r->err_len, fmt, ap);
	va_end(ap);
	return ret;
}

#define ERR(r, ret, ...) req_err(r, ret, __VA_ARGS__)

static int
op_hello(struct req *r)
{
	struct ctl_session *s;
	uint32_t version = xdpc_r_u32(r->in);

	if (r->in->err == 0 && version != XDPC_CTL_VERSION)
		return ERR(r, -EPROTO,
			"control protocol version %u, this process speaks %u: use the same release of the library on both sides",
			version, XDPC_CTL_VERSION);
	s = calloc(1, sizeof(*s));
	if (s == NULL)
		return -ENOMEM;
	s->id = next_sid++;
	s->fd = r->fd;
	r->fd = -1;		/* the session owns it now */
	TAILQ_INSERT_TAIL(&sessions, s, next);
	xdpc_w_u32(r->out, s->id);
	return 0;
}

static int
op_bye(struct req *r)
{
	struct ctl_session *s = session_find(r->sid);

	if (s != NULL)
		session_release(s);
	return 0;
}

static uint32_t
generic_prog_id(uint16_t port)
{
	struct rte_xdp_prog *p = rte_xdp_generic_prog_get(port, 0);

	return p != NULL ? rte_xdp_prog_id(p) : 0;
}

static int
op_port_list(struct req *r)
{
	uint16_t port;
	uint32_t n = 0;

	RTE_ETH_FOREACH_DEV(port)
		n++;
	xdpc_w_u32(r->out, n);
	RTE_ETH_FOREACH_DEV(port) {
		struct rte_eth_dev_info di = { 0 };
		struct rte_xdp_prog *drv = rte_xdp_native_prog_get(port);
		char name[RTE_ETH_NAME_MAX_LEN] = "";

		rte_eth_dev_get_name_by_port(port, name);
		rte_eth_dev_info_get(port, &di);
		xdpc_w_u16(r->out, port);
		xdpc_w_u16(r->out, di.nb_rx_queues);
		xdpc_w_u32(r->out, rte_xdp_generic_ifindex(port));
		xdpc_w_u32(r->out, drv != NULL ? rte_xdp_prog_id(drv) : 0);
		xdpc_w_u32(r->out, generic_prog_id(port));
		xdpc_w_u8(r->out, rte_xdp_native_supported(port));
		xdpc_w_str(r->out, name);
		xdpc_w_str(r->out, di.driver_name);
	}
	return 0;
}

static int
port_rx_queues(uint16_t port)
{
	struct rte_eth_dev_info di;
	int ret = rte_eth_dev_info_get(port, &di);

	return ret != 0 ? ret : di.nb_rx_queues;
}

/* Generic XDP on every RX queue; on failure the queues are as before. */
static int
generic_attach_all(uint16_t port, struct rte_xdp_prog *prog,
	struct rte_xdp_prog *old)
{
	int nq = port_rx_queues(port), q, ret = 0;

	if (nq <= 0)
		return nq < 0 ? nq : -EINVAL;
	for (q = 0; q < nq; q++) {
		ret = rte_xdp_generic_attach(port, q, prog, NULL);
		if (ret != 0)
			break;
	}
	if (ret == 0)
		return 0;
	while (--q >= 0) {
		if (old != NULL)
			rte_xdp_generic_attach(port, q, old, NULL);
		else
			rte_xdp_generic_detach(port, q);
	}
	return ret;
}

static void
generic_detach_all(uint16_t port)
{
	int nq = port_rx_queues(port), q;

	for (q = 0; q < nq; q++)
		rte_xdp_generic_detach(port, q);
}

static int
op_attach(struct req *r)
{
	uint16_t port = xdpc_r_u16(r->in);
	uint32_t id = xdpc_r_u32(r->in);
	enum rte_xdp_ctl_mode mode = xdpc_r_u8(r->in);
	uint32_t flags = xdpc_r_u32(r->in);
	struct rte_xdp_prog *prog, *drv, *gen, *cur;
	int ret;

	if (r->in->err != 0)
		return r->in->err;
	prog = rte_xdp_prog_by_id(id);
	if (prog == NULL)
		return ERR(r, -ENOENT, "program id %u: no such program", id);
	if (!rte_eth_dev_is_valid_port(port))
		return ERR(r, -ENODEV, "port %u: no such port", port);
	if (mode == RTE_XDP_CTL_MODE_AUTO)
		mode = rte_xdp_native_supported(port) ?
			RTE_XDP_CTL_MODE_DRV : RTE_XDP_CTL_MODE_GENERIC;
	if (mode == RTE_XDP_CTL_MODE_DRV && !rte_xdp_native_supported(port))
		return ERR(r, -EOPNOTSUPP,
			"port %u: its driver has no native XDP (attach it in generic mode: xdpgeneric)",
			port);
	if (mode != RTE_XDP_CTL_MODE_DRV && mode != RTE_XDP_CTL_MODE_GENERIC)
		return ERR(r, -EINVAL, "unknown attach mode %d", mode);
	drv = rte_xdp_native_prog_get(port);
	gen = rte_xdp_generic_prog_get(port, 0);
	if ((mode == RTE_XDP_CTL_MODE_DRV && gen != NULL) ||
	    (mode == RTE_XDP_CTL_MODE_GENERIC && drv != NULL))
		return ERR(r, -EEXIST,
			"Native and generic XDP can't be active at the same time.");
	cur = mode == RTE_XDP_CTL_MODE_DRV ? drv : gen;
	if (cur != NULL && !(flags & RTE_XDP_CTL_F_REPLACE))
		return ERR(r, -EBUSY, "XDP program already attached.");
	if (mode == RTE_XDP_CTL_MODE_DRV)
		ret = rte_xdp_native_setup(port, prog);
	else
		ret = generic_attach_all(port, prog, cur);
	if (ret != 0)
		return ret;
	xdpc_w_u8(r->out, mode);
	objs_collect();		/* what it replaced may be unused now */
	return 0;
}

static int
op_detach(struct req *r)
{
	uint16_t port = xdpc_r_u16(r->in);
	enum rte_xdp_ctl_mode mode = xdpc_r_u8(r->in);
	int ret = 0;

	if (r->in->err != 0)
		return r->in->err;
	if (!rte_eth_dev_is_valid_port(port))
		return ERR(r, -ENODEV, "port %u: no such port", port);
	/* Nothing attached in that mode is not an error, as the kernel. */
	if (mode != RTE_XDP_CTL_MODE_GENERIC &&
	    rte_xdp_native_prog_get(port) != NULL)
		ret = rte_xdp_native_setup(port, NULL);
	if (ret == 0 && mode != RTE_XDP_CTL_MODE_DRV)
		generic_detach_all(port);
	objs_collect();
	return ret;
}

static struct ctl_obj *
obj_by_pin(const char *pin)
{
	struct ctl_obj *o;

	TAILQ_FOREACH(o, &objs, next)
		if (strcmp(o->pin, pin) == 0)
			return o;
	return NULL;
}

/* Load only the program or section sec (bpftool's prog load ... sec). */
static int
obj_select(struct rte_xdp_obj *obj, const char *sec, struct req *r)
{
	unsigned int i;

	if (rte_xdp_obj_find_prog(obj, sec) == NULL)
		return ERR(r, -ENOENT, "no program or section %s", sec);
	for (i = 0; i < rte_xdp_obj_nb_progs(obj); i++) {
		struct rte_xdp_prog_info pi;

		rte_xdp_prog_info(rte_xdp_obj_prog(obj, i), &pi);
		rte_xdp_obj_set_autoload(obj, pi.name,
			strcmp(pi.name, sec) == 0 ||
			strcmp(pi.section, sec) == 0);
	}
	return 0;
}

static int
op_obj_load(struct req *r)
{
	struct rte_xdp_obj_opts oo = { .socket_id = SOCKET_ID_ANY };
	char name[256], pin[RTE_XDP_CTL_NAME_LEN], sec[RTE_XDP_CTL_NAME_LEN];
	char map[RTE_XDP_CTL_MAX_SIZES][RTE_XDP_CTL_NAME_LEN];
	uint32_t size[RTE_XDP_CTL_MAX_SIZES];
	struct rte_xdp_obj *obj;
	struct ctl_obj *o;
	const void *elf;
	uint32_t nb_sizes, elf_len, i;
	int ret = 0;

	xdpc_r_str(r->in, name, sizeof(name));
	xdpc_r_str(r->in, pin, sizeof(pin));
	xdpc_r_str(r->in, sec, sizeof(sec));
	oo.verify = xdpc_r_u8(r->in);
	oo.force_xdp = xdpc_r_u8(r->in);
	oo.pkt_window = xdpc_r_u32(r->in);
	nb_sizes = xdpc_r_u32(r->in);
	for (i = 0; i < nb_sizes && i < RTE_XDP_CTL_MAX_SIZES; i++) {
		xdpc_r_str(r->in, map[i], sizeof(map[i]));
		size[i] = xdpc_r_u32(r->in);
	}
	elf = xdpc_r_bytes(r->in, &elf_len);
	if (r->in->err != 0 || nb_sizes > RTE_XDP_CTL_MAX_SIZES ||
	    oo.verify > RTE_XDP_VERIFY_BUILTIN)
		return ERR(r, -EINVAL, "malformed load request");
	if (pin[0] != '\0' && obj_by_pin(pin) != NULL)
		return ERR(r, -EEXIST, "%s: an object is pinned under that name",
			pin);
	obj = rte_xdp_obj_open_mem(name, elf, elf_len, &oo, r->err,
		r->err_len);
	if (obj == NULL)
		return -rte_errno;
	for (i = 0; i < nb_sizes && ret == 0; i++) {
		ret = rte_xdp_obj_set_max_entries(obj, map[i], size[i]);
		if (ret != 0)
			ERR(r, ret, "%s: map %s: cannot set max_entries: %s",
				name, map[i], ret == -ENOENT ? "no such map" :
				strerror(-ret));
	}
	if (ret == 0 && sec[0] != '\0')
		ret = obj_select(obj, sec, r);
	if (ret == 0)
		ret = rte_xdp_obj_load(obj, r->err, r->err_len);
	o = ret == 0 ? calloc(1, sizeof(*o)) : NULL;
	if (o == NULL) {
		rte_xdp_obj_close(obj);
		return ret != 0 ? ret : -ENOMEM;
	}
	o->obj = obj;
	o->id = next_obj_id++;
	o->sid = r->sid;
	strlcpy(o->pin, pin, sizeof(o->pin));
	TAILQ_INSERT_TAIL(&objs, o, next);
	xdpc_w_u32(r->out, o->id);
	xdpc_w_u32(r->out, rte_xdp_obj_nb_progs(obj));
	for (i = 0; i < rte_xdp_obj_nb_progs(obj); i++)
		xdpc_w_u32(r->out, rte_xdp_prog_id(rte_xdp_obj_prog(obj, i)));
	xdpc_w_u32(r->out, rte_xdp_obj_nb_maps(obj));
	for (i = 0; i < rte_xdp_obj_nb_maps(obj); i++)
		xdpc_w_u32(r->out, rte_xdp_map_id(rte_xdp_obj_map(obj, i)));
	/* The client's struct holds whatever the object's list holds. */
	RTE_BUILD_BUG_ON(sizeof(((struct rte_xdp_ctl_obj *)NULL)->not_xdp) <
		sizeof(obj->not_xdp));
	xdpc_w_str(r->out, rte_xdp_obj_not_xdp(obj));
	return 0;
}

static int
op_obj_unpin(struct req *r)
{
	char pin[RTE_XDP_CTL_NAME_LEN];
	struct ctl_obj *o;

	xdpc_r_str(r->in, pin, sizeof(pin));
	if (r->in->err != 0)
		return r->in->err;
	o = pin[0] != '\0' ? obj_by_pin(pin) : NULL;
	if (o == NULL)
		return ERR(r, -ENOENT, "%s: nothing pinned under that name",
			pin);
	o->pin[0] = '\0';
	objs_collect();
	return 0;
}

static void
put_prog(struct xdpc_wbuf *w, const struct rte_xdp_prog *prog)
{
	const struct ctl_obj *o = obj_of_prog(prog);
	struct rte_xdp_prog_info pi;
	uint64_t cnt, ns;
	unsigned int i, nb_maps = rte_xdp_obj_nb_maps(prog->obj);

	rte_xdp_prog_info(prog, &pi);
	rte_xdp_prog_stats(prog, &cnt, &ns);
	xdpc_w_u32(w, pi.id);
	xdpc_w_str(w, pi.name);
	xdpc_w_str(w, pi.section);
	xdpc_w_str(w, pi.license);
	xdpc_w_u32(w, pi.nb_insns);
	xdpc_w_u32(w, pi.nb_xlated);
	xdpc_w_u64(w, pi.jited_size);
	xdpc_w_u8(w, pi.frags);
	xdpc_w_u8(w, pi.verified_by_kernel);
	xdpc_w_u8(w, pi.attach);
	xdpc_w_u32(w, pi.nb_clamps);
	xdpc_w_u32(w, pi.clamp_limit);
	xdpc_w_u32(w, pi.nb_spills);
	xdpc_w_u32(w, pi.pkt_window);
	xdpc_w_str(w, pi.jit);
	xdpc_w_u32(w, o != NULL ? o->id : 0);
	xdpc_w_str(w, o != NULL ? o->pin : "");
	xdpc_w_str(w, prog->obj->path);
	xdpc_w_u32(w, nb_maps);
	for (i = 0; i < nb_maps; i++)
		xdpc_w_u32(w, rte_xdp_map_id(rte_xdp_obj_map(prog->obj, i)));
	xdpc_w_u64(w, cnt);
	xdpc_w_u64(w, ns);
}

static int
op_prog_list(struct req *r)
{
	uint32_t id = 0, n = 0;
	size_t count_at = r->out->len;

	xdpc_w_u32(r->out, 0);
	while (rte_xdp_prog_get_next_id(id, &id) == 0) {
		struct rte_xdp_prog *prog = rte_xdp_prog_by_id(id);

		if (prog == NULL)
			continue;
		put_prog(r->out, prog);
		n++;
	}
	if (r->out->err == 0)
		memcpy(r->out->data + count_at, &n, sizeof(n));
	return 0;
}

/* A loaded program by id, or an error naming the id. */
static struct rte_xdp_prog *
prog_by_id(struct req *r, uint32_t id)
{
	struct rte_xdp_prog *prog = rte_xdp_prog_by_id(id);

	if (prog == NULL)
		ERR(r, -ENOENT, "program id %u: no such program", id);
	return prog;
}

static int
op_prog_run(struct req *r)
{
	uint32_t id = xdpc_r_u32(r->in);
	struct rte_xdp_test_run t = { 0 };
	struct rte_xdp_prog *prog;
	uint32_t data_room, ctx_room;
	void *data_out = NULL, *ctx_out = NULL;
	int ret;

	t.repeat = xdpc_r_u32(r->in);
	data_room = xdpc_r_u32(r->in);
	ctx_room = xdpc_r_u32(r->in);
	t.data_in = xdpc_r_bytes(r->in, &t.data_size_in);
	t.ctx_in = xdpc_r_bytes(r->in, &t.ctx_size_in);
	if (r->in->err != 0 || data_room > (64u << 20) || ctx_room > 4096)
		return ERR(r, -EINVAL, "malformed test-run request");
	if (t.ctx_size_in == 0)
		t.ctx_in = NULL;
	prog = prog_by_id(r, id);
	if (prog == NULL)
		return -ENOENT;
	data_out = malloc(data_room != 0 ? data_room : 1);
	ctx_out = malloc(ctx_room != 0 ? ctx_room : 1);
	if (data_out == NULL || ctx_out == NULL) {
		free(data_out);
		free(ctx_out);
		return -ENOMEM;
	}
	t.data_out = data_out;
	t.data_size_out = data_room;
	t.ctx_out = ctx_out;
	t.ctx_size_out = ctx_room;
	ret = rte_xdp_prog_test_run(prog, &t, r->err, r->err_len);
	/* ENOSPC still gives what fitted, as the kernel */
	if (ret == 0 || ret == -ENOSPC) {
		xdpc_w_u32(r->out, (uint32_t)ret);
		xdpc_w_u32(r->out, t.retval);
		xdpc_w_u32(r->out, t.duration);
		xdpc_w_u32(r->out, t.data_size_out);
		xdpc_w_bytes(r->out, data_out,
			RTE_MIN(t.data_size_out, data_room));
		xdpc_w_u32(r->out, t.ctx_size_out);
		xdpc_w_bytes(r->out, ctx_out, RTE_MIN(t.ctx_size_out, ctx_room));
		ret = 0;
	}
	free(data_out);
	free(ctx_out);
	return ret;
}

static void
put_xlated(struct xdpc_wbuf *w, const struct rte_xdp_xlated *x)
{
	uint32_t i;

	xdpc_w_bytes(w, x->insns, x->nb_insns * sizeof(*x->insns));
	xdpc_w_str(w, x->section);
	xdpc_w_u32(w, (uint32_t)x->start);
	xdpc_w_u8(w, x->jit != NULL);
	xdpc_w_bytes(w, x->jit, x->jit != NULL ? x->jit_size : 0);
	for (i = 0; i < x->nb_insns; i++) {
		const struct rte_xdp_xlated_src *src = &x->src[i];

		xdpc_w_str(w, src->section);
		xdpc_w_u32(w, (uint32_t)src->insn);
		xdpc_w_u32(w, src->notes);
		xdpc_w_u32(w, src->helper);
		xdpc_w_str(w, src->helper_name);
		xdpc_w_u32(w, src->map_id);
		xdpc_w_u32(w, src->map_off);
		xdpc_w_u8(w, src->map_value);
	}
}

static int
op_prog_xlated(struct req *r)
{
	struct rte_xdp_prog *prog = prog_by_id(r, xdpc_r_u32(r->in));
	struct rte_xdp_xlated x;
	uint32_t n = 0, f;

	if (r->in->err != 0)
		return r->in->err;
	if (prog == NULL)
		return -ENOENT;
	while (rte_xdp_prog_xlated(prog, n, &x) == 0)
		n++;
	if (n == 0)
		return ERR(r, -EINVAL, "program %s is not loaded", prog->name);
	xdpc_w_u32(r->out, n);
	for (f = 0; f < n; f++)
		if (rte_xdp_prog_xlated(prog, f, &x) == 0)
			put_xlated(r->out, &x);
	return 0;
}

static int
op_stats(struct req *r)
{
	uint8_t on = xdpc_r_u8(r->in);

	if (r->in->err != 0)
		return r->in->err;
	xdpc_w_u8(r->out, rte_xdp_stats_enable(on));
	return 0;
}

static int
op_map_list(struct req *r)
{
	uint32_t id = 0, n = 0;
	size_t count_at = r->out->len;

	xdpc_w_u32(r->out, 0);
	while (rte_xdp_map_get_next_id(id, &id) == 0) {
		struct rte_xdp_map *map = rte_xdp_map_by_id(id);
		const struct rte_xdp_map_def *d;

		if (map == NULL)
			continue;
		d = rte_xdp_map_def(map);
		xdpc_w_u32(r->out, id);
		xdpc_w_str(r->out, rte_xdp_map_name(map));
		xdpc_w_u32(r->out, d->type);
		xdpc_w_u32(r->out, d->key_size);
		xdpc_w_u32(r->out, d->value_size);
		xdpc_w_u32(r->out, d->max_entries);
		xdpc_w_u32(r->out, d->map_flags);
		xdpc_w_u32(r->out, rte_xdp_map_user_value_size(map));
		n++;
	}
	if (r->out->err == 0)
		memcpy(r->out->data + count_at, &n, sizeof(n));
	return 0;
}

static int
check_len(struct req *r, const char *what, uint32_t got, uint32_t want)
{
	if (got == want)
		return 0;
	return ERR(r, -EINVAL, "%s: expected %u bytes, got %u", what, want,
		got);
}

static int
map_update_batch(struct req *r, struct rte_xdp_map *map, uint64_t flags)
{
	uint32_t ks = rte_xdp_map_def(map)->key_size;
	uint32_t vs = rte_xdp_map_user_value_size(map);
	uint32_t count = xdpc_r_u32(r->in), klen, vlen, i;
	const uint8_t *keys = xdpc_r_bytes(r->in, &klen);
	const uint8_t *vals = xdpc_r_bytes(r->in, &vlen);
	int ret = 0;

	if (r->in->err != 0)
		return r->in->err;
	if (check_len(r, "keys", klen, count * ks) != 0 ||
	    check_len(r, "values", vlen, count * vs) != 0)
		return -EINVAL;
	for (i = 0; i < count; i++) {
		ret = rte_xdp_map_update(map, keys + (size_t)i * ks,
			vals + (size_t)i * vs, flags);
		if (ret != 0)
			break;
	}
	/* the request succeeded; how far the batch went is in the reply */
	xdpc_w_u32(r->out, i);
	xdpc_w_u32(r->out, (uint32_t)ret);
	return 0;
}

static int
op_map_op(struct req *r)
{
	uint8_t cmd = xdpc_r_u8(r->in);
	uint32_t id = xdpc_r_u32(r->in);
	uint64_t flags = xdpc_r_u64(r->in);
	struct rte_xdp_map *map;
	const void *key = NULL;
	uint32_t ks, vs, klen = 0;
	uint8_t *out;
	int ret;

	if (r->in->err != 0)
		return r->in->err;
	map = rte_xdp_map_by_id(id);
	if (map == NULL)
		return ERR(r, -ENOENT, "map id %u: no such map", id);
	ks = rte_xdp_map_def(map)->key_size;
	vs = rte_xdp_map_user_value_size(map);
	if (cmd == XDPC_MAP_UPDATE)
		return map_update_batch(r, map, flags);
	if (cmd != XDPC_MAP_NEXT_KEY || xdpc_r_u8(r->in) != 0) {
		key = xdpc_r_bytes(r->in, &klen);
		if (r->in->err != 0)
			return r->in->err;
		if (check_len(r, "key", klen, ks) != 0)
			return -EINVAL;
	}
	switch (cmd) {
	case XDPC_MAP_LOOKUP:
		out = malloc(vs != 0 ? vs : 1);
		if (out == NULL)
			return -ENOMEM;
		ret = rte_xdp_map_lookup(map, key, out);
		if (ret == 0)
			xdpc_w_bytes(r->out, out, vs);
		free(out);
		return ret;
	case XDPC_MAP_DELETE:
		return rte_xdp_map_delete(map, key);
	case XDPC_MAP_NEXT_KEY:
		out = malloc(ks);
		if (out == NULL)
			return -ENOMEM;
		ret = rte_xdp_map_get_next_key(map, key, out);
		if (ret == 0)
			xdpc_w_bytes(r->out, out, ks);
		free(out);
		return ret;
	default:
		return ERR(r, -EINVAL, "unknown map command %u", cmd);
	}
}

/* ---- event streams ---- */

static void
stream_record(struct ctl_stream *st, unsigned int cpu, const void *data,
	uint32_t size, uint64_t lost)
{
	xdpc_w_u32(st->out, cpu);
	xdpc_w_u64(st->out, lost);
	xdpc_w_bytes(st->out, data, size);
	st->nb_out++;
}

static void
perf_sample(void *arg, unsigned int cpu, const void *data, uint32_t size)
{
	stream_record(arg, cpu, data, size, 0);
}

static void
perf_lost(void *arg, unsigned int cpu, uint64_t lost)
{
	stream_record(arg, cpu, NULL, 0, lost);
}

static int
ring_sample(void *arg, void *data, size_t size)
{
	struct ctl_stream *st = arg;

	stream_record(st, 0, data, size, 0);
	/* a full reply stops the consumer: the rest waits for the next read */
	return st->out->len >= EVENTS_READ_MAX ? -E2BIG : 0;
}

static struct ctl_stream *
stream_find(struct req *r, uint32_t id)
{
	struct ctl_stream *st;

	TAILQ_FOREACH(st, &streams, next)
		if (st->id == id && st->sid == r->sid)
			return st;
	return NULL;
}

static int
op_events_open(struct req *r)
{
	uint32_t id = xdpc_r_u32(r->in);
	struct rte_xdp_map *map;
	struct ctl_stream *st;

	if (r->in->err != 0)
		return r->in->err;
	map = rte_xdp_map_by_id(id);
	if (map == NULL)
		return ERR(r, -ENOENT, "map id %u: no such map", id);
	if (session_find(r->sid) == NULL)
		return ERR(r, -EBADF, "no control session");
	st = calloc(1, sizeof(*st));
	if (st == NULL)
		return -ENOMEM;
	switch (rte_xdp_map_def(map)->type) {
	case RTE_XDP_MAP_PERF_EVENT_ARRAY:
		st->pb = rte_xdp_perf_buffer_new(map, EVENTS_PAGES,
			perf_sample, perf_lost, st);
		break;
	case RTE_XDP_MAP_RINGBUF:
		st->rb = rte_xdp_ring_buffer_new(map, ring_sample, st);
		break;
	default:
		free(st);
		return ERR(r, -EINVAL,
			"map id %u: not a perf event array or a ring buffer",
			id);
	}
	if (st->pb == NULL && st->rb == NULL) {
		free(st);
		return ERR(r, -rte_errno, "map id %u: cannot read its events: %s",
			id, rte_strerror(rte_errno));
	}
	st->id = next_stream_id++;
	st->sid = r->sid;
	TAILQ_INSERT_TAIL(&streams, st, next);
	xdpc_w_u32(r->out, st->id);
	return 0;
}

static int
op_events_read(struct req *r)
{
	struct ctl_stream *st = stream_find(r, xdpc_r_u32(r->in));
	size_t count_at = r->out->len;
	int ret;

	if (r->in->err != 0)
		return r->in->err;
	if (st == NULL)
		return ERR(r, -ENOENT, "no such event stream");
	xdpc_w_u32(r->out, 0);
	st->out = r->out;
	st->nb_out = 0;
	if (st->pb != NULL)
		ret = rte_xdp_perf_buffer_poll(st->pb, EVENTS_READ_MAX / 64);
	else
		ret = rte_xdp_ring_buffer_consume(st->rb);
	st->out = NULL;
	if (ret == -E2BIG)
		ret = 0;
	if (ret < 0)
		return ret;
	if (r->out->err == 0)
		memcpy(r->out->data + count_at, &st->nb_out,
			sizeof(st->nb_out));
	return 0;
}

static int
op_events_close(struct req *r)
{
	struct ctl_stream *st = stream_find(r, xdpc_r_u32(r->in));

	if (r->in->err != 0)
		return r->in->err;
	if (st == NULL)
		return ERR(r, -ENOENT, "no such event stream");
	stream_free(st);
	return 0;
}

/* ---- captures (xdp_capture.c) ---- */

static int
op_capture_start(struct req *r)
{
	struct xdpc_capture_req cr;
	char ring[RTE_MEMPOOL_NAMESIZE], pool[RTE_MEMPOOL_NAMESIZE];
	int ret;

	cr.port_id = xdpc_r_u16(r->in);
	cr.points = xdpc_r_u32(r->in);
	cr.snaplen = xdpc_r_u32(r->in);
	cr.nb_frames = xdpc_r_u32(r->in);
	if (r->in->err != 0)
		return r->in->err;
	ret = xdpc_capture_start(r->sid, &cr, ring, pool, sizeof(ring),
		r->err, r->err_len);
	if (ret != 0)
		return ret;
	xdpc_w_str(r->out, ring);
	xdpc_w_str(r->out, pool);
	return 0;
}

static int
op_capture_stats(struct req *r)
{
	uint16_t port = xdpc_r_u16(r->in);
	uint64_t captured, dropped;

	if (r->in->err != 0)
		return r->in->err;
	if (xdpc_capture_stats(r->sid, port, &captured, &dropped) != 0)
		return ERR(r, -ENOENT, "port %u: no capture of this session",
			port);
	xdpc_w_u64(r->out, captured);
	xdpc_w_u64(r->out, dropped);
	return 0;
}

static int
op_capture_stop(struct req *r)
{
	uint16_t port = xdpc_r_u16(r->in);

	if (r->in->err != 0)
		return r->in->err;
	if (port == UINT16_MAX || xdpc_capture_stop(r->sid, port) != 0)
		return ERR(r, -ENOENT, "port %u: no capture of this session",
			port);
	return 0;
}

static int (*const ops[XDPC_CTL_NB_OPS])(struct req *r) = {
	[XDPC_CTL_HELLO] = op_hello,
	[XDPC_CTL_BYE] = op_bye,
	[XDPC_CTL_PORT_LIST] = op_port_list,
	[XDPC_CTL_ATTACH] = op_attach,
	[XDPC_CTL_DETACH] = op_detach,
	[XDPC_CTL_OBJ_LOAD] = op_obj_load,
	[XDPC_CTL_OBJ_UNPIN] = op_obj_unpin,
	[XDPC_CTL_PROG_LIST] = op_prog_list,
	[XDPC_CTL_PROG_RUN] = op_prog_run,
	[XDPC_CTL_PROG_XLATED] = op_prog_xlated,
	[XDPC_CTL_STATS] = op_stats,
	[XDPC_CTL_MAP_LIST] = op_map_list,
	[XDPC_CTL_MAP_OP] = op_map_op,
	[XDPC_CTL_EVENTS_OPEN] = op_events_open,
	[XDPC_CTL_EVENTS_READ] = op_events_read,
	[XDPC_CTL_EVENTS_CLOSE] = op_events_close,
	[XDPC_CTL_CAPTURE_START] = op_capture_start,
	[XDPC_CTL_CAPTURE_STATS] = op_capture_stats,
	[XDPC_CTL_CAPTURE_STOP] = op_capture_stop,
};

int
xdpc_ctl_serve(uint32_t sid, uint16_t op, struct xdpc_rbuf *in, int fd,
	struct xdpc_wbuf *out, char *err, size_t err_len)
{
	char log[XDPC_CTL_ERR_LEN];
	struct capture cap = { .buf = log, .size = sizeof(log) };
	struct req r = {
		.sid = sid, .in = in, .out = out, .fd = fd,
		.err = err, .err_len = err_len,
	};
	int ret;

	err[0] = '\0';
	log[0] = '\0';
	if (op >= XDPC_CTL_NB_OPS || ops[op] == NULL) {
		ret = ERR(&r, -EOPNOTSUPP, "unknown control request %u", op);
		goto out;
	}
	pthread_mutex_lock(&ctl_lock);
	if (op != XDPC_CTL_HELLO && session_find(sid) == NULL) {
		pthread_mutex_unlock(&ctl_lock);
		ret = ERR(&r, -EBADF, "control session %u is not open", sid);
		goto out;
	}
	capture_install();
	capturing = &cap;
	ret = ops[op](&r);
	capturing = NULL;
	pthread_mutex_unlock(&ctl_lock);
	if (ret == 0 && out->err != 0)
		ret = ERR(&r, out->err, "out of memory for the reply");
	if (ret < 0 && err[0] == '\0')
		capture_to_err(&cap, err, err_len);
	if (ret < 0 && err[0] == '\0')
		snprintf(err, err_len, "%s", strerror(-ret));
out:
	if (r.fd >= 0)
		close(r.fd);
	return ret;
}
