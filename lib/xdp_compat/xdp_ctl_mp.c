/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Control requests between processes, over DPDK's multi-process channel.
 *
 * A request is one rte_mp message named "xdp_ctl": a header in its
 * parameters, then the body inline when it fits, else in a memfd passed
 * along (SCM_RIGHTS); the reply has the same shape. HELLO also carries
 * the read end of a pipe whose write end only the requester holds: the
 * pipe hangs up when the requester is gone, however it went, and its
 * session is then released.
 *
 * The channel's own thread only queues a request: a control thread of
 * the library serves them one by one and replies, so that a long request
 * (loading a program, restarting a port) neither stalls DPDK's own
 * multi-process traffic (memory hotplug) nor deadlocks on it. That thread
 * also watches the sessions' pipes.
 */

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/queue.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_string_fns.h>

#include "xdp_compat_log.h"
#include "xdp_ctl_internal.h"

#define CTL_MAGIC	0x58445043u	/* "XDPC" */
#define MAX_BODY	(256u << 20)
#define MAX_WATCHED	256

struct ctl_hdr {
	uint32_t magic;
	uint16_t version;
	uint16_t op;
	uint32_t sid;
	int32_t ret;		/* replies */
	uint32_t body_len;
	uint32_t inline_len;	/* == body_len: inline; else in fds[0] */
};

#define INLINE_MAX	(RTE_MP_MAX_PARAM_LEN - sizeof(struct ctl_hdr))

struct pending {
	TAILQ_ENTRY(pending) next;
	struct rte_mp_msg msg;
	char peer[PATH_MAX];
};

static TAILQ_HEAD(, pending) queue = TAILQ_HEAD_INITIALIZER(queue);
static pthread_mutex_t queue_lock = PTHREAD_MUTEX_INITIALIZER;
static int wake_fd = -1;
static int thread_started;

static void
close_fds(const struct rte_mp_msg *msg, int keep)
{
	int i;

	for (i = 0; i < msg->num_fds; i++)
		if (msg->fds[i] >= 0 && msg->fds[i] != keep)
			close(msg->fds[i]);
}

/* Put a body in msg: inline, or in a new memfd (fds[0]). */
static int
msg_set_body(struct rte_mp_msg *msg, struct ctl_hdr *h, const void *body,
	size_t len)
{
	const uint8_t *p = body;
	int fd;

	if (len > MAX_BODY)
		return -E2BIG;
	h->body_len = len;
	if (len <= INLINE_MAX) {
		h->inline_len = len;
		if (len != 0)
			memcpy(msg->param + sizeof(*h), body, len);
		msg->len_param = sizeof(*h) + len;
		return 0;
	}
	h->inline_len = 0;
	msg->len_param = sizeof(*h);
	fd = memfd_create("xdp_ctl", MFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			close(fd);
			return n < 0 ? -errno : -EIO;
		}
		p += n;
		len -= n;
	}
	msg->fds[msg->num_fds++] = fd;
	return 0;
}

/* The body of a received message, in a buffer to free(). */
static int
msg_get_body(const struct rte_mp_msg *msg, struct ctl_hdr *h, void **body)
{
	struct stat st;
	uint8_t *b;
	size_t off;

	*body = NULL;
	if (msg->len_param < (int)sizeof(*h))
		return -EPROTO;
	memcpy(h, msg->param, sizeof(*h));
	if (h->magic != CTL_MAGIC || h->body_len > MAX_BODY)
		return -EPROTO;
	b = malloc(h->body_len != 0 ? h->body_len : 1);
	if (b == NULL)
		return -ENOMEM;
	if (h->inline_len == h->body_len) {
		if (h->body_len > INLINE_MAX ||
		    msg->len_param < (int)(sizeof(*h) + h->body_len)) {
			free(b);
			return -EPROTO;
		}
		memcpy(b, msg->param + sizeof(*h), h->body_len);
		*body = b;
		return 0;
	}
	if (msg->num_fds < 1 || fstat(msg->fds[0], &st) != 0 ||
	    (size_t)st.st_size < h->body_len) {
		free(b);
		return -EPROTO;
	}
	for (off = 0; off < h->body_len; ) {
		ssize_t n = pread(msg->fds[0], b + off, h->body_len - off, off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			free(b);
			return -EIO;
		}
		off += n;
	}
	*body = b;
	return 0;
}

/* ---- primary: serve ---- */

static void
serve_one(struct pending *p)
{
	struct rte_mp_msg rep = { 0 };
	struct ctl_hdr h, rh = { .magic = CTL_MAGIC,
		.version = XDPC_CTL_VERSION };
	struct xdpc_wbuf out;
	struct xdpc_rbuf in;
	char err[XDPC_CTL_ERR_LEN];
	void *body = NULL;
	int fd = -1, ret, i;

	xdpc_wbuf_init(&out);
	ret = msg_get_body(&p->msg, &h, &body);
	if (ret == 0 && h.version != XDPC_CTL_VERSION) {
		snprintf(err, sizeof(err),
			"control protocol version %u, this process speaks %u",
			h.version, XDPC_CTL_VERSION);
		ret = -EPROTO;
	} else if (ret == 0) {
		/* HELLO: the liveness fd is the last one */
		if (h.op == XDPC_CTL_HELLO && p->msg.num_fds >= 1)
			fd = p->msg.fds[p->msg.num_fds - 1];
		if (h.inline_len != h.body_len && fd == p->msg.fds[0])
			fd = -1;
		xdpc_rbuf_init(&in, body, h.body_len);
		ret = xdpc_ctl_serve(h.sid, h.op, &in, fd, &out, err,
			sizeof(err));
	} else {
		snprintf(err, sizeof(err), "malformed control request: %s",
			strerror(-ret));
	}
	close_fds(&p->msg, fd);
	free(body);

	strlcpy(rep.name, XDPC_CTL_MP_NAME, sizeof(rep.name));
	rh.op = h.op;
	rh.sid = h.sid;
	rh.ret = ret;
	if (ret < 0) {
		xdpc_wbuf_free(&out);
		xdpc_w_str(&out, err);
	}
	if (msg_set_body(&rep, &rh, out.data, out.len) != 0) {
		rh.ret = -ENOMEM;
		msg_set_body(&rep, &rh, NULL, 0);
	}
	memcpy(rep.param, &rh, sizeof(rh));
	if (rte_mp_reply(&rep, p->peer) != 0)
		XDPC_LOG(WARNING, "control: cannot reply to %s: %s", p->peer,
			rte_strerror(rte_errno));
	for (i = 0; i < rep.num_fds; i++)
		close(rep.fds[i]);
	xdpc_wbuf_free(&out);
}

static void
serve_queued(void)
{
	struct pending *p;
	uint64_t v;

	if (read(wake_fd, &v, sizeof(v)) < 0 && errno != EAGAIN)
		XDPC_LOG(DEBUG, "control: wake-up read: %s", strerror(errno));
	for (;;) {
		pthread_mutex_lock(&queue_lock);
		p = TAILQ_FIRST(&queue);
		if (p != NULL)
			TAILQ_REMOVE(&queue, p, next);
		pthread_mutex_unlock(&queue_lock);
		if (p == NULL)
			return;
		serve_one(p);
		free(p);
	}
}

static void *
ctl_thread(void *arg)
{
	struct pollfd pfd[1 + MAX_WATCHED];
	uint32_t sids[MAX_WATCHED];
	int fds[MAX_WATCHED];
	unsigned int n, i;

	RTE_SET_USED(arg);
	for (;;) {
		n = RTE_MIN(xdpc_ctl_session_fds(fds, sids, MAX_WATCHED),
			(unsigned int)MAX_WATCHED);
		pfd[0].fd = wake_fd;
		pfd[0].events = POLLIN;
		for (i = 0; i < n; i++) {
			pfd[1 + i].fd = fds[i];
			pfd[1 + i].events = POLLIN;
		}
		if (poll(pfd, 1 + n, -1) < 0 && errno != EINTR)
			break;
		for (i = 0; i < n; i++)
			if (pfd[1 + i].revents != 0)
				xdpc_ctl_session_end(sids[i]);
		if (pfd[0].revents & POLLIN)
			serve_queued();
	}
	XDPC_LOG(ERR, "control thread stopped: %s", strerror(errno));
	return NULL;
}

/* Start the control thread on the first request. */
static int
start_thread(void)
{
	pthread_t tid;
	int ret;

	wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (wake_fd < 0)
		return -errno;
	ret = rte_ctrl_thread_create(&tid, "xdp-ctl", NULL, ctl_thread, NULL);
	if (ret != 0) {
		close(wake_fd);
		wake_fd = -1;
		return ret < 0 ? ret : -ret;
	}
	thread_started = 1;
	return 0;
}

/* rte_mp's thread: queue the request for the control thread. */
static int
ctl_action(const struct rte_mp_msg *msg, const void *peer)
{
	struct pending *p = malloc(sizeof(*p));
	uint64_t one = 1;
	int ret = 0;

	if (p == NULL) {
		close_fds(msg, -1);
		return -1;
	}
	memcpy(&p->msg, msg, sizeof(*msg));
	strlcpy(p->peer, peer, sizeof(p->peer));
	pthread_mutex_lock(&queue_lock);
	if (!thread_started)
		ret = start_thread();
	if (ret == 0)
		TAILQ_INSERT_TAIL(&queue, p, next);
	pthread_mutex_unlock(&queue_lock);
	if (ret != 0) {
		XDPC_LOG(ERR, "control: cannot start its thread: %s",
			strerror(-ret));
		close_fds(msg, -1);
		free(p);
		return -1;
	}
	if (write(wake_fd, &one, sizeof(one)) < 0)
		XDPC_LOG(DEBUG, "control: wake-up: %s", strerror(errno));
	return 0;
}

/*
 * Any process with the library serves requests once its EAL is up: the
 * action is registered before (at load) so that stock applications need
 * nothing more than the library. A process without shared config has no
 * channel; the registration then fails quietly.
 */
RTE_INIT(xdp_ctl_mp_register)
{
	rte_mp_action_register(XDPC_CTL_MP_NAME, ctl_action);
}

/* ---- secondary: call ---- */

static unsigned int
op_timeout(uint16_t op)
{
	switch (op) {
	case XDPC_CTL_HELLO:
	case XDPC_CTL_EVENTS_READ:	/* polled: a gone primary shows soon */
		return 5;
	case XDPC_CTL_OBJ_LOAD:
		return 600;	/* the validator may take 20 s a program */
	default:
		return 60;	/* an attach may restart a port */
	}
}

int
xdpc_ctl_mp_call(uint32_t sid, uint16_t op, const struct xdpc_wbuf *req,
	int fd, void **rep, size_t *rep_len, char *err, size_t err_len)
{
	struct ctl_hdr h = { .magic = CTL_MAGIC, .version = XDPC_CTL_VERSION,
		.op = op, .sid = sid };
	struct timespec ts = { .tv_sec = op_timeout(op) };
	struct rte_mp_msg msg = { 0 };
	struct rte_mp_reply mr = { 0 };
	struct xdpc_rbuf r;
	void *body = NULL;
	int ret;

	*rep = NULL;
	*rep_len = 0;
	strlcpy(msg.name, XDPC_CTL_MP_NAME, sizeof(msg.name));
	ret = msg_set_body(&msg, &h, req->data, req->len);
	if (ret != 0) {
		snprintf(err, err_len, "cannot send the request: %s",
			strerror(-ret));
		return ret;
	}
	if (fd >= 0)
		msg.fds[msg.num_fds++] = fd;
	memcpy(msg.param, &h, sizeof(h));
	ret = rte_mp_request_sync(&msg, &mr, &ts);
	if (msg.num_fds > 0 && msg.fds[0] != fd)
		close(msg.fds[0]);
	if (ret != 0 || mr.nb_sent == 0) {
		snprintf(err, err_len, "cannot reach the primary process: %s",
			rte_strerror(rte_errno));
		free(mr.msgs);
		return -ESRCH;
	}
	if (mr.nb_received == 0) {
		snprintf(err, err_len, op == XDPC_CTL_HELLO ?
			"the primary process does not answer XDP control requests: it runs without librte_xdp_compat (load it with -d, or the mvneta_xdp PMD)" :
			"the primary process did not answer in %u s",
			(unsigned int)ts.tv_sec);
		free(mr.msgs);
		return -ETIMEDOUT;
	}
	ret = msg_get_body(&mr.msgs[0], &h, &body);
	close_fds(&mr.msgs[0], -1);
	free(mr.msgs);
	if (ret != 0) {
		snprintf(err, err_len, "malformed reply: %s", strerror(-ret));
		return ret;
	}
	if (h.ret < 0) {
		xdpc_rbuf_init(&r, body, h.body_len);
		xdpc_r_str(&r, err, err_len);
		if (r.err != 0 || err[0] == '\0')
			snprintf(err, err_len, "%s", strerror(-h.ret));
		free(body);
		return h.ret;
	}
	*rep = body;
	*rep_len = h.body_len;
	return h.ret;
}
