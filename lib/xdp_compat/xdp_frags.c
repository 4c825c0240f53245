/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Multi-buffer xdp_buffs (SEC("xdp.frags") programs), with the kernel's
 * semantics (net/core/filter.c): a chained mbuf is one frame whose first
 * segment is the linear part (data .. data_end) and whose further
 * segments are the frags of its skb_shared_info. The helpers here act on
 * the chain directly: a tail shrink that empties a frag unlinks that
 * segment and gives it back through the RX queue's memory model at once,
 * a tail growth extends the last segment within its buffer's tailroom.
 * The runner writes the linear part and the totals back after the run.
 */

#include <errno.h>
#include <string.h>

#include <rte_mbuf.h>

#include "rte_xdp_rxq_info.h"
#include "xdp_prog_internal.h"

#define ETH_HLEN 14

uint32_t
xdpc_buff_len(const struct xdpc_ctx *c)
{
	return (uint32_t)(c->data_end - (uintptr_t)c->data) + c->frags_len;
}

/*
 * Copy len bytes at offset off of the frame (linear part, then frags)
 * out to buf, or in from buf when store: bpf_xdp_load_bytes() and
 * bpf_xdp_store_bytes(), whose checks come first.
 */
int
xdpc_frags_copy(struct xdpc_ctx *c, uint32_t off, void *buf, uint32_t len,
	int store)
{
	uint32_t lin = c->data_end - (uintptr_t)c->data, n, k;
	struct rte_mbuf *seg;
	uint8_t *b = buf, *p;

	if (off > 0xffff || len > 0xffff)
		return -EFAULT;
	if ((uint64_t)off + len > xdpc_buff_len(c))
		return -EINVAL;
	p = (uint8_t *)c->data;
	n = lin;
	seg = c->mbuf != NULL ? c->mbuf->next : NULL;
	for (k = 0; len != 0; k++) {
		if (off < n) {
			uint32_t chunk = RTE_MIN(len, n - off);

			if (store)
				memcpy(p + off, b, chunk);
			else
				memcpy(b, p + off, chunk);
			b += chunk;
			len -= chunk;
			off = 0;
		} else {
			off -= n;
		}
		if (len == 0 || k >= c->nb_frags || seg == NULL)
			break;
		p = rte_pktmbuf_mtod(seg, uint8_t *);
		n = seg->data_len;
		seg = seg->next;
	}
	return 0;
}

/* Copy out for perf_event_output's packet sample: checks done by caller. */
void
xdpc_frags_read(const struct xdpc_ctx *c, uint32_t off, void *buf,
	uint32_t len)
{
	xdpc_frags_copy((struct xdpc_ctx *)(uintptr_t)c, off, buf, len, 0);
}

/* Give one segment, unlinked, back to its owner. */
static void
return_seg(const struct xdpc_ctx *c, struct rte_mbuf *seg)
{
	seg->next = NULL;
	seg->nb_segs = 1;
	seg->pkt_len = seg->data_len;
	if (c->rxq != NULL)
		rte_xdp_return_frame(&c->rxq->mem, seg, 0);
	else
		rte_pktmbuf_free_seg(seg);
}

/* bpf_xdp_frags_shrink_tail() */
static int
frags_shrink(struct xdpc_ctx *c, int64_t offset)
{
	struct rte_mbuf *segs[XDPC_MAX_FRAGS], *s;
	uint32_t nr = 0, n_free = 0, len_free = 0;
	int i;

	if (offset > (int64_t)xdpc_buff_len(c) - ETH_HLEN)
		return -EINVAL;
	for (s = c->mbuf->next; s != NULL && nr < c->nb_frags; s = s->next)
		segs[nr++] = s;
	for (i = nr - 1; i >= 0 && offset > 0; i--) {
		uint32_t shrink = RTE_MIN((uint64_t)offset,
			(uint64_t)segs[i]->data_len);

		len_free += shrink;
		offset -= shrink;
		if (segs[i]->data_len != shrink) {
			segs[i]->data_len -= shrink;
			break;
		}
		n_free++;
	}
	/* unlink the freed tail, then give its segments back */
	if (n_free != 0) {
		if (nr - n_free == 0)
			c->mbuf->next = NULL;
		else
			segs[nr - n_free - 1]->next = NULL;
		for (i = nr - n_free; i < (int)nr; i++)
			return_seg(c, segs[i]);
	}
	c->nb_frags = nr - n_free;
	c->frags_len -= len_free;
	if (c->nb_frags == 0) {
		c->frags_len = 0;
		c->data_end -= offset;
	}
	return 0;
}

/* bpf_xdp_frags_increase_tail() */
static int
frags_grow(struct xdpc_ctx *c, int64_t offset)
{
	struct rte_mbuf *last = c->mbuf;
	uint32_t frag_size, k, tailroom;
	int64_t room;

	if (c->rxq == NULL || c->rxq->frag_size == 0 ||
	    c->rxq->frag_size > xdpc_frame_sz(c))
		return -EOPNOTSUPP;
	frag_size = c->rxq->frag_size;
	for (k = 0; k < c->nb_frags && last->next != NULL; k++)
		last = last->next;
	room = (int64_t)frag_size - last->data_len - last->data_off % frag_size;
	/* never past the segment's own buffer */
	room = RTE_MIN(room, (int64_t)last->buf_len - last->data_off -
		last->data_len);
	tailroom = room > 0 ? room : 0;
	if (offset > tailroom)
		return -EINVAL;
	memset(rte_pktmbuf_mtod_offset(last, uint8_t *, last->data_len), 0,
		offset);
	last->data_len += offset;
	c->frags_len += offset;
	return 0;
}

/* bpf_xdp_adjust_tail() of a frame with frags. */
int
xdpc_frags_adjust_tail(struct xdpc_ctx *c, int32_t offset)
{
	if (offset < 0)
		return frags_shrink(c, -(int64_t)offset);
	return frags_grow(c, offset);
}
