/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * rte_xdp_ctl.h: each call writes its request body, has it served here
 * (local handle) or by the primary (xdp_ctl_mp.c), and reads the reply.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_string_fns.h>

#include "rte_xdp_ctl.h"
#include "xdp_ctl_internal.h"

struct rte_xdp_ctl {
	int remote;
	uint32_t sid;
	int alive_fd;		/* write end of the session's pipe (remote) */
	/* key and value sizes of the maps seen: ids are never reused */
	struct rte_xdp_ctl_map *maps;
	int nb_maps;
	char err[XDPC_CTL_ERR_LEN];
};

/*
 * One request: body req, reply parsed by the caller from *rep (free()
 * it). fd, when >= 0, goes along and is closed here.
 */
static int
call(struct rte_xdp_ctl *ctl, uint16_t op, struct xdpc_wbuf *req, int fd,
	void **rep, size_t *rep_len)
{
	struct xdpc_wbuf out;
	struct xdpc_rbuf in;
	int ret;

	ctl->err[0] = '\0';
	*rep = NULL;
	*rep_len = 0;
	if (req->err != 0) {
		ret = req->err;
		snprintf(ctl->err, sizeof(ctl->err), "%s", strerror(-ret));
	} else if (ctl->remote) {
		ret = xdpc_ctl_mp_call(ctl->sid, op, req, fd, rep, rep_len,
			ctl->err, sizeof(ctl->err));
	} else {
		xdpc_wbuf_init(&out);
		xdpc_rbuf_init(&in, req->data, req->len);
		ret = xdpc_ctl_serve(ctl->sid, op, &in, -1, &out, ctl->err,
			sizeof(ctl->err));
		if (ret < 0) {
			xdpc_wbuf_free(&out);
		} else {
			*rep = out.data;
			*rep_len = out.len;
		}
	}
	if (fd >= 0)
		close(fd);
	xdpc_wbuf_free(req);
	return ret;
}

/* The reply did not have the expected shape. */
static int
bad_reply(struct rte_xdp_ctl *ctl, void *rep)
{
	free(rep);
	snprintf(ctl->err, sizeof(ctl->err), "malformed reply");
	return -EPROTO;
}

/*
 * A list: a count, then elements read by get into out (up to max of
 * them; the others into scratch). Returns the count.
 */
static int
list_call(struct rte_xdp_ctl *ctl, uint16_t op, void *out, size_t size,
	unsigned int max, void *scratch, void (*get)(struct xdpc_rbuf *, void *))
{
	struct xdpc_wbuf req;
	struct xdpc_rbuf r;
	uint32_t n, i;
	size_t len;
	void *rep;
	int ret;

	xdpc_wbuf_init(&req);
	ret = call(ctl, op, &req, -1, &rep, &len);
	if (ret < 0)
		return ret;
	xdpc_rbuf_init(&r, rep, len);
	n = xdpc_r_u32(&r);
	for (i = 0; i < n && r.err == 0; i++)
		get(&r, i < max ? RTE_PTR_ADD(out, (size_t)i * size) : scratch);
	if (r.err != 0 || n > INT32_MAX)
		return bad_reply(ctl, rep);
	free(rep);
	return n;
}

struct rte_xdp_ctl *
rte_xdp_ctl_open(char *err, size_t err_len)
{
	struct rte_xdp_ctl *ctl = calloc(1, sizeof(*ctl));
	struct xdpc_wbuf req;
	struct xdpc_rbuf r;
	int pfd[2] = { -1, -1 };
	size_t len;
	void *rep;
	int ret;

	if (ctl == NULL) {
		snprintf(err, err_len, "out of memory");
		return NULL;
	}
	ctl->alive_fd = -1;
	ctl->remote = rte_eal_process_type() == RTE_PROC_SECONDARY;
	if (ctl->remote) {
		if (pipe2(pfd, O_CLOEXEC) != 0) {
			snprintf(err, err_len, "pipe: %s", strerror(errno));
			free(ctl);
			return NULL;
		}
		ctl->alive_fd = pfd[1];
	}
	xdpc_wbuf_init(&req);
	xdpc_w_u32(&req, XDPC_CTL_VERSION);
	ret = call(ctl, XDPC_CTL_HELLO, &req, pfd[0], &rep, &len);
	if (ret == 0) {
		xdpc_rbuf_init(&r, rep, len);
		ctl->sid = xdpc_r_u32(&r);
		ret = r.err != 0 ? bad_reply(ctl, rep) : 0;
		if (ret == 0)
			free(rep);
	}
	if (ret != 0) {
		snprintf(err, err_len, "%s", ctl->err);
		if (ctl->alive_fd >= 0)
			close(ctl->alive_fd);
		free(ctl);
		rte_errno = -ret;
		return NULL;
	}
	return ctl;
}

void
rte_xdp_ctl_close(struct rte_xdp_ctl *ctl)
{
	struct xdpc_wbuf req;
	size_t len;
	void *rep;

	if (ctl == NULL)
		return;
	xdpc_wbuf_init(&req);
	if (call(ctl, XDPC_CTL_BYE, &req, -1, &rep, &len) == 0)
		free(rep);
	if (ctl->alive_fd >= 0)
		close(ctl->alive_fd);
	free(ctl->maps);
	free(ctl);
}

int
rte_xdp_ctl_is_remote(const struct rte_xdp_ctl *ctl)
{
	return ctl->remote;
}

const char *
rte_xdp_ctl_error(const struct rte_xdp_ctl *ctl)
{
	return ctl->err;
}

static void
get_port(struct xdpc_rbuf *r, void *elem)
{
	struct rte_xdp_ctl_port *p = elem;

	memset(p, 0, sizeof(*p));
	p->port_id = xdpc_r_u16(r);
	p->nb_rx_queues = xdpc_r_u16(r);
	p->ifindex = xdpc_r_u32(r);
	p->drv_prog_id = xdpc_r_u32(r);
	p->generic_prog_id = xdpc_r_u32(r);
	p->native = xdpc_r_u8(r);
	xdpc_r_str(r, p->name, sizeof(p->name));
	xdpc_r_str(r, p->driver, sizeof(p->driver));
}

int
rte_xdp_ctl_port_list(struct rte_xdp_ctl *ctl, struct rte_xdp_ctl_port *ports,
	unsigned int max)
{
	struct rte_xdp_ctl_port skip;

	return list_call(ctl, XDPC_CTL_PORT_LIST, ports, sizeof(*ports), max,
		&skip, get_port);
}

int
rte_xdp_ctl_attach(struct rte_xdp_ctl *ctl, uint16_t port_id,
	uint32_t prog_id, enum rte_xdp_ctl_mode *mode, uint32_t flags)
{
	struct xdpc_wbuf req;
	struct xdpc_rbuf r;
	uint8_t used;
	size_t len;
	void *rep;
	int ret;

	xdpc_wbuf_init(&req);
	xdpc_w_u16(&req, port_id);
	xdpc_w_u32(&req, prog_id);
	xdpc_w_u8(&req, mode != NULL ? *mode : RTE_XDP_CTL_MODE_AUTO);
	xdpc_w_u32(&req, flags);
	ret = call(ctl, XDPC_CTL_ATTACH, &req, -1, &rep, &len);
	if (ret < 0)
		return ret;
	xdpc_rbuf_init(&r, rep, len);
	used = xdpc_r_u8(&r);
	if (r.err != 0)
		return bad_reply(ctl, rep);
	if (mode != NULL)
		*mode = used;
	free(rep);
	return 0;
}

/* A request whose reply has no body. */
static int
call_simple(struct rte_xdp_ctl *ctl, uint16_t op, struct xdpc_wbuf *req)
{
	size_t len;
	void *rep;
	int ret;

	ret = call(ctl, op, req, -1, &rep, &len);
	free(rep);
	return ret;
}

int
rte_xdp_ctl_detach(struct rte_xdp_ctl *ctl, uint16_t port_id,
	enum rte_xdp_ctl_mode mode)
{
	struct xdpc_wbuf req;

	xdpc_wbuf_init(&req);
	xdpc_w_u16(&req, port_id);
	xdpc_w_u8(&req, mode);
	return call_simple(ctl, XDPC_CTL_DETACH, &req);
}

static int
read_file(const char *path, void **buf, size_t *size, char *err,
	size_t err_len)
{
	FILE *f = fopen(path, "rb");
	long sz;

	*buf = NULL;
	if (f == NULL) {
		snprintf(err, err_len, "%s: %s", path, strerror(errno));
		return -errno;
	}
	if (fseek(f, 0, SEEK_END) != 0 || (sz = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0 ||
	    (*buf = malloc(sz > 0 ? sz : 1)) == NULL ||
	    fread(*buf, 1, sz, f) != (size_t)sz) {
		snprintf(err, err_len, "%s: cannot read it", path);
		free(*buf);
		*buf = NULL;
		fclose(f);
		return -EIO;
	}
	fclose(f);
	*size = sz;
	return 0;
}

int
rte_xdp_ctl_obj_load(struct rte_xdp_ctl *ctl, const char *path,
	const struct rte_xdp_ctl_load_opts *opts, struct rte_xdp_ctl_obj *obj)
{
	static const struct rte_xdp_ctl_load_opts none;
	struct rte_xdp_obj_opts oo = { .socket_id = SOCKET_ID_ANY };
	struct xdpc_wbuf req;
	struct xdpc_rbuf r;
	struct rte_xdp_obj *check;
	unsigned int i;
	size_t size = 0, len;
	uint32_t n;
	void *elf, *rep;
	int ret;

	if (opts == NULL)
		opts = &none;
	if (opts->nb_sizes > RTE_XDP_CTL_MAX_SIZES) {
		snprintf(ctl->err, sizeof(ctl->err), "too many map sizes");
		return -EINVAL;
	}
	ret = read_file(path, &elf, &size, ctl->err, sizeof(ctl->err));
	if (ret != 0)
		return ret;
	/*
	 * Parse it here first, with the same code: a malformed object that
	 * makes libbpf crash takes down this process, not the primary.
	 */
	if (ctl->remote) {
		oo.force_xdp = opts->force_xdp;
		check = rte_xdp_obj_open_mem(path, elf, size, &oo, ctl->err,
			sizeof(ctl->err));
		if (check == NULL) {
			free(elf);
			return -rte_errno;
		}
		rte_xdp_obj_close(check);
	}
	xdpc_wbuf_init(&req);
	xdpc_w_str(&req, path);
	xdpc_w_str(&req, opts->pin);
	xdpc_w_str(&req, opts->sec);
	xdpc_w_u8(&req, opts->verify);
	xdpc_w_u8(&req, opts->force_xdp);
	xdpc_w_u32(&req, opts->pkt_window);
	xdpc_w_u32(&req, opts->nb_sizes);
	for (i = 0; i < opts->nb_sizes; i++) {
		xdpc_w_str(&req, opts->size_map[i]);
		xdpc_w_u32(&req, opts->size[i]);
	}
	xdpc_w_bytes(&req, elf, size);
	free(elf);
	ret = call(ctl, XDPC_CTL_OBJ_LOAD, &req, -1, &rep, &len);
	if (ret < 0)
		return ret;
	memset(obj, 0, sizeof(*obj));
	xdpc_rbuf_init(&r, rep, len);
	obj->id = xdpc_r_u32(&r);
	n = xdpc_r_u32(&r);
	for (i = 0; i < n; i++) {
		uint32_t id = xdpc_r_u32(&r);

		if (id != 0 && obj->nb_progs < RTE_XDP_CTL_MAX_IDS)
			obj->prog_ids[obj->nb_progs++] = id;
	}
	n = xdpc_r_u32(&r);
	for (i = 0; i < n; i++) {
		uint32_t id = xdpc_r_u32(&r);

		if (obj->nb_maps < RTE_XDP_CTL_MAX_IDS)
			obj->map_ids[obj->nb_maps++] = id;
	}
	xdpc_r_str(&r, obj->not_xdp, sizeof(obj->not_xdp));
	if (r.err != 0)
		return bad_reply(ctl, rep);
	free(rep);
	return 0;
}

int
rte_xdp_ctl_obj_unpin(struct rte_xdp_ctl *ctl, const char *pin)
{
	struct xdpc_wbuf req;

	xdpc_wbuf_init(&req);
	xdpc_w_str(&req, pin);
	return call_simple(ctl, XDPC_CTL_OBJ_UNPIN, &req);
}

static void
get_prog(struct xdpc_rbuf *r, void *elem)
{
	struct rte_xdp_ctl_prog *p = elem;
	struct rte_xdp_prog_info *pi = &p->info;
	uint32_t n, i;

	memset(p, 0, sizeof(*p));
	pi->id = xdpc_r_u32(r);
	xdpc_r_str(r, p->name, sizeof(p->name));
	xdpc_r_str(r, p->section, sizeof(p->section));
	xdpc_r_str(r, p->license, sizeof(p->license));
	pi->nb_insns = xdpc_r_u32(r);
	pi->nb_xlated = xdpc_r_u32(r);
	pi->jited_size = xdpc_r_u64(r);
	pi->frags = xdpc_r_u8(r);
	pi->verified_by_kernel = xdpc_r_u8(r);
	pi->attach = xdpc_r_u8(r);
	pi->nb_clamps = xdpc_r_u32(r);
	pi->clamp_limit = xdpc_r_u32(r);
	pi->nb_spills = xdpc_r_u32(r);
	pi->pkt_window = xdpc_r_u32(r);
	xdpc_r_str(r, p->jit, sizeof(p->jit));
	pi->loaded = 1;
	pi->name = p->name;
	pi->section = p->section;
	pi->license = p->license;
	pi->jit = p->jit[0] != '\0' ? p->jit : NULL;
	p->obj_id = xdpc_r_u32(r);
	xdpc_r_str(r, p->pin, sizeof(p->pin));
	xdpc_r_str(r, p->path, sizeof(p->path));
	n = xdpc_r_u32(r);
	for (i = 0; i < n && r->err == 0; i++) {
		uint32_t id = xdpc_r_u32(r);

		if (p->nb_maps < RTE_XDP_CTL_MAX_IDS)
			p->map_ids[p->nb_maps++] = id;
	}
	p->run_cnt = xdpc_r_u64(r);
	p->run_time_ns = xdpc_r_u64(r);
}

int
rte_xdp_ctl_prog_list(struct rte_xdp_ctl *ctl, struct rte_xdp_ctl_prog *progs,
	unsigned int max)
{
	struct rte_xdp_ctl_prog skip;

	return list_call(ctl, XDPC_CTL_PROG_LIST, progs, sizeof(*progs), max,
		&skip, get_prog);
}

int
rte_xdp_ctl_prog_test_run(struct rte_xdp_ctl *ctl, uint32_t prog_id,
	struct rte_xdp_test_run *t)
{
	struct xdpc_wbuf req;
	struct xdpc_rbuf r;
	const void *data, *ctx;
	uint32_t dlen, clen;
	size_t len;
	void *rep;
	int ret;

	xdpc_wbuf_init(&req);
	xdpc_w_u32(&req, prog_id);
	xdpc_w_u32(&req, t->repeat);
	xdpc_w_u32(&req, t->data_out != NULL ? t->data_size_out : 0);
	xdpc_w_u32(&req, t->ctx_out != NULL ? t->ctx_size_out : 0);
	xdpc_w_bytes(&req, t->data_in, t->data_size_in);
	xdpc_w_bytes(&req, t->ctx_in, t->ctx_in != NULL ? t->ctx_size_in : 0);
	ret = call(ctl, XDPC_CTL_PROG_RUN, &req, -1, &rep, &len);
	if (ret < 0)
		return ret;
	xdpc_rbuf_init(&r, rep, len);
	ret = (int32_t)xdpc_r_u32(&r);
	t->retval = xdpc_r_u32(&r);
	t->duration = xdpc_r_u32(&r);
	t->data_size_out = xdpc_r_u32(&r);
	data = xdpc_r_bytes(&r, &dlen);
	t->ctx_size_out = xdpc_r_u32(&r);
	ctx = xdpc_r_bytes(&r, &clen);
	if (r.err != 0)
		return bad_reply(ctl, rep);
	if (t->data_out != NULL)
		memcpy(t->data_out, data, dlen);
	if (t->ctx_out != NULL)
		memcpy(t->ctx_out, ctx, clen);
	free(rep);
	if (ret < 0)
		snprintf(ctl->err, sizeof(ctl->err), "%s", strerror(-ret));
	return ret;
}

/*
 * What rte_xdp_ctl_prog_xlated() hands out lives in one allocation: the
 * functions, then for each its instructions, sources and JIT code, and
 * the strings, all copied out of the reply.
 */
struct xlated_mem {
	uint8_t *p, *end;
	int short_of_room;
};

static void *
xl_take(struct xlated_mem *m, size_t n)
{
	void *p = m->p;

	n = RTE_ALIGN_CEIL(n, 8);
	if (n > (size_t)(m->end - m->p)) {
		m->short_of_room = 1;
		return NULL;
	}
	m->p += n;
	return p;
}

static const char *
xl_str(struct xlated_mem *m, struct xdpc_rbuf *r)
{
	uint32_t n;
	const char *s = xdpc_r_bytes(r, &n);
	char *d = xl_take(m, n + 1);

	if (d == NULL)
		return "";
	memcpy(d, s != NULL ? s : "", n);
	d[n] = '\0';
	return d;
}

/* Read the functions into m (m->p NULL: only count the room needed). */
static int
xl_read(struct xdpc_rbuf *r, struct rte_xdp_xlated *funcs, uint32_t n,
	struct xlated_mem *m)
{
	uint32_t f, i, len;
	uint8_t has_jit;

	for (f = 0; f < n && r->err == 0; f++) {
		struct rte_xdp_xlated *x = &funcs[f];
		struct rte_xdp_xlated_src *src;
		const void *b;
		void *copy;

		b = xdpc_r_bytes(r, &len);
		x->nb_insns = len / sizeof(*x->insns);
		copy = xl_take(m, len);
		if (copy != NULL)
			memcpy(copy, b, len);
		x->insns = copy;
		x->section = xl_str(m, r);
		x->start = (int32_t)xdpc_r_u32(r);
		has_jit = xdpc_r_u8(r);
		b = xdpc_r_bytes(r, &len);
		x->jit = NULL;
		x->jit_size = len;
		if (has_jit) {
			copy = xl_take(m, len);
			if (copy != NULL)
				memcpy(copy, b, len);
			x->jit = copy;
		}
		src = xl_take(m, sizeof(*src) * x->nb_insns);
		x->src = src;
		for (i = 0; i < x->nb_insns && r->err == 0; i++) {
			struct rte_xdp_xlated_src tmp;

			tmp.section = xl_str(m, r);
			tmp.insn = (int32_t)xdpc_r_u32(r);
			tmp.notes = xdpc_r_u32(r);
			tmp.helper = xdpc_r_u32(r);
			tmp.helper_name = xl_str(m, r);
			tmp.map_id = xdpc_r_u32(r);
			tmp.map_off = xdpc_r_u32(r);
			tmp.map_value = xdpc_r_u8(r);
			if (src != NULL)
				src[i] = tmp;
		}
	}
	return r->err;
}

int
rte_xdp_ctl_prog_xlated(struct rte_xdp_ctl *ctl, uint32_t prog_id,
	struct rte_xdp_ctl_xlated *xl)
{
	struct xlated_mem m;
	struct xdpc_wbuf req;
	struct xdpc_rbuf r;
	size_t len;
	uint32_t n;
	void *rep;
	int ret;

	memset(xl, 0, sizeof(*xl));
	xdpc_wbuf_init(&req);
	xdpc_w_u32(&req, prog_id);
	ret = call(ctl, XDPC_CTL_PROG_XLATED, &req, -1, &rep, &len);
	if (ret < 0)
		return ret;
	xdpc_rbuf_init(&r, rep, len);
	n = xdpc_r_u32(&r);
	if (r.err != 0 || n == 0 || n > 1024)
		return bad_reply(ctl, rep);
	/* the reply's size bounds what its copies need, with the padding
	 * of every piece */
	xl->priv = malloc(sizeof(*xl->funcs) * n + 2 * len + 64 * (size_t)n +
		16 * (len / 8 + 1));
	if (xl->priv == NULL) {
		free(rep);
		return -ENOMEM;
	}
	m.short_of_room = 0;
	m.p = xl->priv;
	m.end = m.p + sizeof(*xl->funcs) * n + 2 * len + 64 * (size_t)n +
		16 * (len / 8 + 1);
	xl->funcs = xl_take(&m, sizeof(*xl->funcs) * n);
	xl->nb_funcs = n;
	if (xl_read(&r, xl->funcs, n, &m) != 0 || m.short_of_room) {
		rte_xdp_ctl_xlated_free(xl);
		return bad_reply(ctl, rep);
	}
	free(rep);
	return 0;
}

void
rte_xdp_ctl_xlated_free(struct rte_xdp_ctl_xlated *xl)
{
	free(xl->priv);
	memset(xl, 0, sizeof(*xl));
}

int
rte_xdp_ctl_stats_enable(struct rte_xdp_ctl *ctl, int enable)
{
	struct xdpc_wbuf req;
	struct xdpc_rbuf r;
	size_t len;
	void *rep;
	int ret;

	xdpc_wbuf_init(&req);
	xdpc_w_u8(&req, enable != 0);
	ret = call(ctl, XDPC_CTL_STATS, &req, -1, &rep, &len);
	if (ret < 0)
		return ret;
	xdpc_rbuf_init(&r, rep, len);
	ret = xdpc_r_u8(&r);
	if (r.err != 0)
		return bad_reply(ctl, rep);
	free(rep);
	return ret;
}

static void
get_map(struct xdpc_rbuf *r, void *elem)
{
	struct rte_xdp_ctl_map *m = elem;

	memset(m, 0, sizeof(*m));
	m->id = xdpc_r_u32(r);
	xdpc_r_str(r, m->name, sizeof(m->name));
	m->def.type = xdpc_r_u32(r);
	m->def.key_size = xdpc_r_u32(r);
	m->def.value_size = xdpc_r_u32(r);
	m->def.max_entries = xdpc_r_u32(r);
	m->def.map_flags = xdpc_r_u32(r);
	m->user_value_size = xdpc_r_u32(r);
}

int
rte_xdp_ctl_map_list(struct rte_xdp_ctl *ctl, struct rte_xdp_ctl_map *maps,
	unsigned int max)
{
	struct rte_xdp_ctl_map skip;

	return list_call(ctl, XDPC_CTL_MAP_LIST, maps, sizeof(*maps), max,
		&skip, get_map);
}

/*
 * Map commands: the server checks key and value sizes against the map;
 * the caller's buffers must have them, which a map list tells. The
 * reply's bytes are copied to out (size out_len).
 */
static int
map_cmd(struct rte_xdp_ctl *ctl, uint8_t cmd, uint32_t map_id,
	const void *key, uint32_t key_len, void *out)
{
	struct xdpc_wbuf req;
	struct xdpc_rbuf r;
	const void *b;
	uint32_t n;
	size_t len;
	void *rep;
	int ret;

	xdpc_wbuf_init(&req);
	xdpc_w_u8(&req, cmd);
	xdpc_w_u32(&req, map_id);
	xdpc_w_u64(&req, 0);
	if (cmd == XDPC_MAP_NEXT_KEY)
		xdpc_w_u8(&req, key != NULL);
	if (key != NULL)
		xdpc_w_bytes(&req, key, key_len);
	ret = call(ctl, XDPC_CTL_MAP_OP, &req, -1, &rep, &len);
	if (ret < 0 || out == NULL) {
		free(rep);
		return ret;
	}
	xdpc_rbuf_init(&r, rep, len);
	b = xdpc_r_bytes(&r, &n);
	if (r.err != 0)
		return bad_reply(ctl, rep);
	memcpy(out, b, n);
	free(rep);
	return 0;
}

static const struct rte_xdp_ctl_map *
map_cached(const struct rte_xdp_ctl *ctl, uint32_t map_id)
{
	int i;

	for (i = 0; i < ctl->nb_maps; i++)
		if (ctl->maps[i].id == map_id)
			return &ctl->maps[i];
	return NULL;
}

/* Key and value sizes of a map, for requests that carry them. */
static int
map_sizes(struct rte_xdp_ctl *ctl, uint32_t map_id, uint32_t *ks,
	uint32_t *vs)
{
	const struct rte_xdp_ctl_map *m = map_cached(ctl, map_id);
	int n, ret;

	if (m == NULL) {
		n = rte_xdp_ctl_map_list(ctl, NULL, 0);
		if (n < 0)
			return n;
		free(ctl->maps);
		ctl->nb_maps = 0;
		ctl->maps = calloc(n + 1, sizeof(*ctl->maps));
		if (ctl->maps == NULL)
			return -ENOMEM;
		ret = rte_xdp_ctl_map_list(ctl, ctl->maps, n + 1);
		if (ret < 0)
			return ret;
		ctl->nb_maps = RTE_MIN(ret, n + 1);
		m = map_cached(ctl, map_id);
	}
	if (m == NULL) {
		snprintf(ctl->err, sizeof(ctl->err),
			"map id %u: no such map", map_id);
		return -ENOENT;
	}
	*ks = m->def.key_size;
	*vs = m->user_value_size;
	return 0;
}

int
rte_xdp_ctl_map_lookup(struct rte_xdp_ctl *ctl, uint32_t map_id,
	const void *key, void *value)
{
	uint32_t ks, vs;
	int ret = map_sizes(ctl, map_id, &ks, &vs);

	return ret != 0 ? ret :
		map_cmd(ctl, XDPC_MAP_LOOKUP, map_id, key, ks, value);
}

int
rte_xdp_ctl_map_delete(struct rte_xdp_ctl *ctl, uint32_t map_id,
	const void *key)
{
	uint32_t ks, vs;
	int ret = map_sizes(ctl, map_id, &ks, &vs);

	return ret != 0 ? ret :
		map_cmd(ctl, XDPC_MAP_DELETE, map_id, key, ks, NULL);
}

int
rte_xdp_ctl_map_get_next_key(struct rte_xdp_ctl *ctl, uint32_t map_id,
	const void *key, void *next_key)
{
	uint32_t ks, vs;
	int ret = map_sizes(ctl, map_id, &ks, &vs);

	return ret != 0 ? ret :
		map_cmd(ctl, XDPC_MAP_NEXT_KEY, map_id, key, ks, next_key);
}

int
rte_xdp_ctl_map_update_batch(struct rte_xdp_ctl *ctl, uint32_t map_id,
	const void *keys, const void *values, uint32_t *count, uint64_t flags)
{
	struct xdpc_wbuf req;
	struct xdpc_rbuf r;
	uint32_t ks, vs, done;
	size_t len;
	void *rep;
	int ret = map_sizes(ctl, map_id, &ks, &vs);

	if (ret != 0) {
		*count = 0;
		return ret;
	}
	xdpc_wbuf_init(&req);
	xdpc_w_u8(&req, XDPC_MAP_UPDATE);
	xdpc_w_u32(&req, map_id);
	xdpc_w_u64(&req, flags);
	xdpc_w_u32(&req, *count);
	xdpc_w_bytes(&req, keys, *count * ks);
	xdpc_w_bytes(&req, values, *count * vs);
	ret = call(ctl, XDPC_CTL_MAP_OP, &req, -1, &rep, &len);
	*count = 0;
	if (ret < 0)
		return ret;
	xdpc_rbuf_init(&r, rep, len);
	done = xdpc_r_u32(&r);
	ret = (int32_t)xdpc_r_u32(&r);
	if (r.err != 0)
		return bad_reply(ctl, rep);
	free(rep);
	*count = done;
	if (ret < 0)
		snprintf(ctl->err, sizeof(ctl->err), "%s", strerror(-ret));
	return ret;
}

int
rte_xdp_ctl_map_update(struct rte_xdp_ctl *ctl, uint32_t map_id,
	const void *key, const void *value, uint64_t flags)
{
	uint32_t one = 1;

	return rte_xdp_ctl_map_update_batch(ctl, map_id, key, value, &one,
		flags);
}

int
rte_xdp_ctl_events_open(struct rte_xdp_ctl *ctl, uint32_t map_id)
{
	struct xdpc_wbuf req;
	struct xdpc_rbuf r;
	size_t len;
	void *rep;
	int ret;

	xdpc_wbuf_init(&req);
	xdpc_w_u32(&req, map_id);
	ret = call(ctl, XDPC_CTL_EVENTS_OPEN, &req, -1, &rep, &len);
	if (ret < 0)
		return ret;
	xdpc_rbuf_init(&r, rep, len);
	ret = xdpc_r_u32(&r);
	if (r.err != 0 || ret <= 0)
		return bad_reply(ctl, rep);
	free(rep);
	return ret;
}

int
rte_xdp_ctl_events_read(struct rte_xdp_ctl *ctl, int stream,
	rte_xdp_ctl_event_fn fn, void *arg)
{
	struct xdpc_wbuf req;
	struct xdpc_rbuf r;
	uint32_t n, i, size, cpu;
	const void *data;
	uint64_t lost;
	size_t len;
	void *rep;
	int ret;

	xdpc_wbuf_init(&req);
	xdpc_w_u32(&req, stream);
	ret = call(ctl, XDPC_CTL_EVENTS_READ, &req, -1, &rep, &len);
	if (ret < 0)
		return ret;
	xdpc_rbuf_init(&r, rep, len);
	n = xdpc_r_u32(&r);
	for (i = 0; i < n && r.err == 0; i++) {
		cpu = xdpc_r_u32(&r);
		lost = xdpc_r_u64(&r);
		data = xdpc_r_bytes(&r, &size);
		if (r.err == 0)
			fn(arg, cpu, lost != 0 ? NULL : data, size, lost);
	}
	if (r.err != 0 || n > INT32_MAX)
		return bad_reply(ctl, rep);
	free(rep);
	return n;
}

int
rte_xdp_ctl_events_close(struct rte_xdp_ctl *ctl, int stream)
{
	struct xdpc_wbuf req;

	xdpc_wbuf_init(&req);
	xdpc_w_u32(&req, stream);
	return call_simple(ctl, XDPC_CTL_EVENTS_CLOSE, &req);
}
