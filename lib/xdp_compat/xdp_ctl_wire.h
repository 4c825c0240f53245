/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef XDP_CTL_WIRE_H
#define XDP_CTL_WIRE_H

/*
 * The bodies of control requests and replies: a flat sequence of
 * little-endian-as-the-host integers and length-prefixed byte strings,
 * written and read in the same order by both sides. Both processes run
 * the same library on the same machine, so no byte swapping; the reader
 * checks every length against what is left, and a short or malformed
 * body sets a sticky error instead of reading past its end.
 */

#include <stddef.h>
#include <stdint.h>

struct xdpc_wbuf {
	uint8_t *data;
	size_t len;
	size_t cap;
	int err;		/* -ENOMEM once a write failed */
};

struct xdpc_rbuf {
	const uint8_t *p;
	size_t left;
	int err;		/* -EINVAL once a read ran short */
};

void xdpc_wbuf_init(struct xdpc_wbuf *w);
void xdpc_wbuf_free(struct xdpc_wbuf *w);
void xdpc_w_raw(struct xdpc_wbuf *w, const void *p, size_t n);
void xdpc_w_u8(struct xdpc_wbuf *w, uint8_t v);
void xdpc_w_u16(struct xdpc_wbuf *w, uint16_t v);
void xdpc_w_u32(struct xdpc_wbuf *w, uint32_t v);
void xdpc_w_u64(struct xdpc_wbuf *w, uint64_t v);
/* u32 length, then the bytes (p may be NULL when n is 0) */
void xdpc_w_bytes(struct xdpc_wbuf *w, const void *p, uint32_t n);
/* a string as bytes, without its NUL; NULL is written as "" */
void xdpc_w_str(struct xdpc_wbuf *w, const char *s);

void xdpc_rbuf_init(struct xdpc_rbuf *r, const void *p, size_t n);
uint8_t xdpc_r_u8(struct xdpc_rbuf *r);
uint16_t xdpc_r_u16(struct xdpc_rbuf *r);
uint32_t xdpc_r_u32(struct xdpc_rbuf *r);
uint64_t xdpc_r_u64(struct xdpc_rbuf *r);
/* a pointer into the body and its length, NULL (and *n 0) if short */
const void *xdpc_r_bytes(struct xdpc_rbuf *r, uint32_t *n);
/* a string into out (NUL-terminated); too long for out is an error */
void xdpc_r_str(struct xdpc_rbuf *r, char *out, size_t size);
/* bytes of exactly n into out */
void xdpc_r_fixed(struct xdpc_rbuf *r, void *out, uint32_t n);

#endif /* XDP_CTL_WIRE_H */
