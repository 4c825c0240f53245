/* SPDX-License-Identifier: BSD-3-Clause */
/* Encoding of control request and reply bodies (xdp_ctl_wire.h). */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "xdp_ctl_wire.h"

void
xdpc_wbuf_init(struct xdpc_wbuf *w)
{
	memset(w, 0, sizeof(*w));
}

void
xdpc_wbuf_free(struct xdpc_wbuf *w)
{
	free(w->data);
	xdpc_wbuf_init(w);
}

void
xdpc_w_raw(struct xdpc_wbuf *w, const void *p, size_t n)
{
	if (w->err != 0 || n == 0)
		return;
	if (w->len + n > w->cap) {
		size_t cap = w->cap != 0 ? w->cap : 256;
		uint8_t *d;

		while (cap < w->len + n)
			cap *= 2;
		d = realloc(w->data, cap);
		if (d == NULL) {
			w->err = -ENOMEM;
			return;
		}
		w->data = d;
		w->cap = cap;
	}
	memcpy(w->data + w->len, p, n);
	w->len += n;
}

void
xdpc_w_u8(struct xdpc_wbuf *w, uint8_t v)
{
	xdpc_w_raw(w, &v, sizeof(v));
}

void
xdpc_w_u16(struct xdpc_wbuf *w, uint16_t v)
{
	xdpc_w_raw(w, &v, sizeof(v));
}

void
xdpc_w_u32(struct xdpc_wbuf *w, uint32_t v)
{
	xdpc_w_raw(w, &v, sizeof(v));
}

void
xdpc_w_u64(struct xdpc_wbuf *w, uint64_t v)
{
	xdpc_w_raw(w, &v, sizeof(v));
}

void
xdpc_w_bytes(struct xdpc_wbuf *w, const void *p, uint32_t n)
{
	xdpc_w_u32(w, n);
	xdpc_w_raw(w, p, n);
}

void
xdpc_w_str(struct xdpc_wbuf *w, const char *s)
{
	xdpc_w_bytes(w, s, s != NULL ? strlen(s) : 0);
}

void
xdpc_rbuf_init(struct xdpc_rbuf *r, const void *p, size_t n)
{
	r->p = p;
	r->left = p != NULL ? n : 0;
	r->err = 0;
}

static const void *
take(struct xdpc_rbuf *r, size_t n)
{
	const void *p = r->p;

	if (r->err != 0 || n > r->left) {
		r->err = -EINVAL;
		return NULL;
	}
	r->p += n;
	r->left -= n;
	return p;
}

#define READ_INT(type, r) do { \
	const void *p = take(r, sizeof(type)); \
	type v = 0; \
	if (p != NULL) \
		memcpy(&v, p, sizeof(v)); \
	return v; \
} while (0)

uint8_t
xdpc_r_u8(struct xdpc_rbuf *r)
{
	READ_INT(uint8_t, r);
}

uint16_t
xdpc_r_u16(struct xdpc_rbuf *r)
{
	READ_INT(uint16_t, r);
}

uint32_t
xdpc_r_u32(struct xdpc_rbuf *r)
{
	READ_INT(uint32_t, r);
}

uint64_t
xdpc_r_u64(struct xdpc_rbuf *r)
{
	READ_INT(uint64_t, r);
}

const void *
xdpc_r_bytes(struct xdpc_rbuf *r, uint32_t *n)
{
	uint32_t len = xdpc_r_u32(r);
	const void *p = take(r, len);

	*n = p != NULL ? len : 0;
	return p;
}

void
xdpc_r_str(struct xdpc_rbuf *r, char *out, size_t size)
{
	uint32_t n;
	const void *p = xdpc_r_bytes(r, &n);

	if (size == 0)
		return;
	out[0] = '\0';
	if (p == NULL)
		return;
	if (n >= size || memchr(p, '\0', n) != NULL) {
		r->err = -EINVAL;
		return;
	}
	memcpy(out, p, n);
	out[n] = '\0';
}

void
xdpc_r_fixed(struct xdpc_rbuf *r, void *out, uint32_t n)
{
	uint32_t len;
	const void *p = xdpc_r_bytes(r, &len);

	if (p == NULL)
		return;
	if (len != n) {
		r->err = -EINVAL;
		return;
	}
	memcpy(out, p, n);
}
