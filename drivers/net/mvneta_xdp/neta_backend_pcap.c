/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Backend "pcap": the wire is a pair of capture files. Frames of rx_pcap
 * arrive once, in file order, as fast as the RX rings take them (the
 * file's timestamps are not replayed); frames the port sends are appended
 * to tx_pcap with the current time. Either file may be omitted: without
 * rx_pcap nothing arrives, without tx_pcap sent frames are discarded.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <pcap/pcap.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_kvargs.h>
#include <rte_malloc.h>
#include <rte_spinlock.h>

#include "neta_model.h"

#define PCAP_RX_BURST		64	/* frames read per poll, at most */
#define PCAP_TX_SNAPLEN		65535
#define PCAP_FLUSH_PER_SEC	10	/* tx_pcap flushed every ~100 ms */

struct pcap_state {
	/*
	 * Any RX queue's lcore may poll. One reader at a time takes the
	 * file (trylock: a poller never waits) and steers each frame to
	 * its RSS queue, so the file order is kept across queues.
	 */
	rte_spinlock_t rx_lock;
	pcap_t *rx;
	bool rx_eof;
	/* A frame read whose queue had no room: delivered first next time. */
	struct pcap_pkthdr *held_hdr;
	const u_char *held_data;

	/* TX queues' lcores send concurrently: one writer at a time. */
	rte_spinlock_t tx_lock;
	pcap_t *tx_dead;		/* only gives the dump its link type */
	pcap_dumper_t *tx;
	bool tx_err_logged;
	uint64_t tx_flush_period;	/* TSC cycles */
	uint64_t tx_flush_next;
	uint8_t tx_buf[NETA_MAX_FRAME];	/* gathers scattered frames */
};

static void
pcap_close_backend(struct neta_model *nm)
{
	struct pcap_state *s = nm->backend_priv;

	if (s == NULL)
		return;
	if (s->tx != NULL) {
		pcap_dump_flush(s->tx);
		pcap_dump_close(s->tx);
	}
	if (s->tx_dead != NULL)
		pcap_close(s->tx_dead);
	if (s->rx != NULL)
		pcap_close(s->rx);
	rte_free(s);
	nm->backend_priv = NULL;
}

/* Take one file name devarg; the same key twice is ambiguous. */
static int
pcap_arg(struct neta_model *nm, const struct rte_kvargs_pair *p,
		const char **out)
{
	if (*out != NULL) {
		NETA_LOG(ERR, nm, "devarg %s=%s: given twice (one file per port)",
			p->key, p->value);
		return -EINVAL;
	}
	if (p->value == NULL || p->value[0] == '\0') {
		NETA_LOG(ERR, nm, "devarg %s=: needs a file name", p->key);
		return -EINVAL;
	}
	*out = p->value;
	return 0;
}

static int
pcap_open_rx(struct neta_model *nm, struct pcap_state *s, const char *path)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	FILE *fp;
	int ret;

	/* fopen() ourselves: a true errno, and no "-" meaning stdin. */
	fp = fopen(path, "rb");
	if (fp == NULL) {
		ret = -errno;
		NETA_LOG(ERR, nm, "devarg %s=%s: %s", NETA_ARG_RX_PCAP, path,
			strerror(errno));
		return ret;
	}
	errbuf[0] = '\0';
	s->rx = pcap_fopen_offline(fp, errbuf);
	if (s->rx == NULL) {
		fclose(fp);	/* still ours when libpcap refuses it */
		NETA_LOG(ERR, nm, "devarg %s=%s: %s", NETA_ARG_RX_PCAP, path, errbuf);
		return -EINVAL;
	}
	if (pcap_datalink(s->rx) != DLT_EN10MB) {
		NETA_LOG(ERR, nm, "devarg %s=%s: link type %d, not Ethernet (%d)",
			NETA_ARG_RX_PCAP, path, pcap_datalink(s->rx), DLT_EN10MB);
		return -EINVAL;
	}
	return 0;
}

/* Opening tx_pcap truncates it: refuse when it is the rx_pcap file. */
static int
pcap_check_distinct(struct neta_model *nm, const char *rx, const char *tx)
{
	struct stat a, b;

	if (rx == NULL || stat(rx, &a) != 0 || stat(tx, &b) != 0)
		return 0;
	if (a.st_dev == b.st_dev && a.st_ino == b.st_ino && S_ISREG(a.st_mode)) {
		NETA_LOG(ERR, nm, "devarg %s=%s: same file as %s=%s",
			NETA_ARG_TX_PCAP, tx, NETA_ARG_RX_PCAP, rx);
		return -EINVAL;
	}
	return 0;
}

static int
pcap_open_tx(struct neta_model *nm, struct pcap_state *s, const char *path)
{
	FILE *fp;
	int ret;

	s->tx_dead = pcap_open_dead(DLT_EN10MB, PCAP_TX_SNAPLEN);
	if (s->tx_dead == NULL) {
		NETA_LOG(ERR, nm, "devarg %s=%s: cannot allocate a pcap handle",
			NETA_ARG_TX_PCAP, path);
		return -ENOMEM;
	}
	fp = fopen(path, "wb");
	if (fp == NULL) {
		ret = -errno;
		NETA_LOG(ERR, nm, "devarg %s=%s: %s", NETA_ARG_TX_PCAP, path,
			strerror(errno));
		return ret;
	}
	/* On failure libpcap has closed fp (it could not write the header). */
	s->tx = pcap_dump_fopen(s->tx_dead, fp);
	if (s->tx == NULL) {
		NETA_LOG(ERR, nm, "devarg %s=%s: %s", NETA_ARG_TX_PCAP, path,
			pcap_geterr(s->tx_dead));
		return -EIO;
	}
	s->tx_flush_period = rte_get_tsc_hz() / PCAP_FLUSH_PER_SEC;
	s->tx_flush_next = rte_rdtsc() + s->tx_flush_period;
	return 0;
}

static int
pcap_open_backend(struct neta_model *nm, struct rte_kvargs *kv)
{
	const char *rx = NULL, *tx = NULL;
	struct pcap_state *s;
	unsigned int i;
	int ret = 0;

	for (i = 0; kv != NULL && i < kv->count && ret == 0; i++) {
		if (strcmp(kv->pairs[i].key, NETA_ARG_RX_PCAP) == 0)
			ret = pcap_arg(nm, &kv->pairs[i], &rx);
		else if (strcmp(kv->pairs[i].key, NETA_ARG_TX_PCAP) == 0)
			ret = pcap_arg(nm, &kv->pairs[i], &tx);
	}
	if (ret != 0)
		return ret;
	if (tx != NULL && (ret = pcap_check_distinct(nm, rx, tx)) != 0)
		return ret;

	s = rte_zmalloc("neta_pcap", sizeof(*s), RTE_CACHE_LINE_SIZE);
	if (s == NULL)
		return -ENOMEM;
	rte_spinlock_init(&s->rx_lock);
	rte_spinlock_init(&s->tx_lock);
	nm->backend_priv = s;
	if (rx != NULL)
		ret = pcap_open_rx(nm, s, rx);
	if (ret == 0 && tx != NULL)
		ret = pcap_open_tx(nm, s, tx);
	if (ret != 0)
		pcap_close_backend(nm);
	return ret;
}

/*
 * Whether the queue the frame steers to can take it now. A file does not
 * overrun: a frame waits for room rather than being dropped, unless the
 * MAC would refuse it anyway (ring off, longer than the MRU, or needing
 * more descriptors than the ring has).
 */
static bool
pcap_rx_room(struct neta_model *nm, uint16_t q, uint32_t len)
{
	struct neta_model_rxq *rxq = &nm->rxq[q];
	uint32_t buf_size = rxq->buf_size, need;

	if (len < RTE_ETHER_HDR_LEN || len > nm->mru || !rxq->enabled ||
	    buf_size == 0)
		return true;
	need = (len + buf_size - 1) / buf_size;
	if (need > rxq->size)
		return true;
	return need <= __atomic_load_n(&rxq->non_occupied, __ATOMIC_ACQUIRE);
}

/* Next frame of the file; false at the end (or a damaged file). */
static bool
pcap_rx_next(struct neta_model *nm, struct pcap_state *s)
{
	int ret;

	if (s->held_hdr != NULL)
		return true;
	ret = pcap_next_ex(s->rx, &s->held_hdr, &s->held_data);
	if (ret == 1)
		return true;
	if (ret == PCAP_ERROR)
		NETA_LOG(WARNING, nm, "%s: %s: no more frames", NETA_ARG_RX_PCAP,
			pcap_geterr(s->rx));
	s->held_hdr = NULL;
	__atomic_store_n(&s->rx_eof, true, __ATOMIC_RELAXED);
	return false;
}

static void
pcap_rx_poll(struct neta_model *nm, uint16_t q, uint32_t budget)
{
	struct pcap_state *s = nm->backend_priv;
	struct neta_frame f = { .nb_segs = 1 };
	uint32_t n = RTE_MIN(budget, (uint32_t)PCAP_RX_BURST);
	uint16_t to;

	RTE_SET_USED(q);	/* frames go to their RSS queue */
	if (s->rx == NULL || __atomic_load_n(&s->rx_eof, __ATOMIC_RELAXED) ||
	    !rte_spinlock_trylock(&s->rx_lock))
		return;
	while (n-- != 0 && pcap_rx_next(nm, s)) {
		/* caplen: a file cut at its snaplen gives the cut frame. */
		f.len = s->held_hdr->caplen;
		f.seg[0].addr = s->held_data;
		f.seg[0].len = f.len;
		to = neta_model_rss_queue(nm, f.seg[0].addr, f.len);
		if (!pcap_rx_room(nm, to, f.len))
			break;
		s->held_hdr = NULL;
		neta_model_rx_frame_q(nm, to, &f);
	}
	rte_spinlock_unlock(&s->rx_lock);
}

static bool
pcap_tx(struct neta_model *nm, const struct neta_frame *f)
{
	struct pcap_state *s = nm->backend_priv;
	struct pcap_pkthdr h;
	struct timespec now;
	const uint8_t *data;
	uint32_t off = 0;
	uint16_t i;
	bool ok;

	if (s->tx == NULL)
		return true;	/* nothing listens on this wire */
	clock_gettime(CLOCK_REALTIME, &now);
	h.ts.tv_sec = now.tv_sec;
	h.ts.tv_usec = now.tv_nsec / 1000;
	h.len = f->len;
	h.caplen = RTE_MIN(f->len, (uint32_t)PCAP_TX_SNAPLEN);

	rte_spinlock_lock(&s->tx_lock);
	data = f->seg[0].addr;
	if (f->nb_segs > 1) {
		/* pcap_dump() takes one buffer: gather, cut at our buffer. */
		for (i = 0; i < f->nb_segs && off < sizeof(s->tx_buf); i++) {
			uint32_t l = RTE_MIN(f->seg[i].len,
				(uint32_t)sizeof(s->tx_buf) - off);

			memcpy(s->tx_buf + off, f->seg[i].addr, l);
			off += l;
		}
		h.caplen = RTE_MIN(h.caplen, off);
		data = s->tx_buf;
	}
	pcap_dump((u_char *)s->tx, &h, data);
	if (rte_rdtsc() >= s->tx_flush_next) {
		pcap_dump_flush(s->tx);
		s->tx_flush_next = rte_rdtsc() + s->tx_flush_period;
	}
	/* pcap_dump() cannot fail visibly; the stream's error flag can. */
	ok = !ferror(pcap_dump_file(s->tx));
	if (!ok && !s->tx_err_logged) {
		s->tx_err_logged = true;
		NETA_LOG(ERR, nm, "%s: write error, frames are dropped",
			NETA_ARG_TX_PCAP);
	}
	rte_spinlock_unlock(&s->tx_lock);
	return ok;
}

const struct neta_backend_ops neta_backend_pcap = {
	.name = "pcap",
	.open = pcap_open_backend,
	.close = pcap_close_backend,
	.rx_poll = pcap_rx_poll,
	.tx = pcap_tx,
};
