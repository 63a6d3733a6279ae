/* netdev.c - moving host network devices into the container's network
 * namespace (linux.netDevices), over a NETLINK_ROUTE socket by hand. */
#include "linux/netdev.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <sched.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "spec/json.h"
#include "util/buf.h"
#include "util/cleanup.h"
#include "util/log.h"

/* u8, 1 for devices that cannot change namespace (kernel 6.13; older
 * kernels refuse the move itself with EINVAL) */
#ifndef IFLA_NETNS_IMMUTABLE
#define IFLA_NETNS_IMMUTABLE 67
#endif

/* A dump datagram is at most 32 KiB (netlink_dump() caps its skb there). */
#define NL_BUF 65536

/* ---- the socket ------------------------------------------------------------------ */

struct nl {
	int fd;
	uint32_t seq;
	char *buf;
	char kmsg[256]; /* the kernel's extended ack message of the last error */
};

/* Requests are small and fixed: a header, a family header, a few attributes. */
struct nlreq {
	struct nlmsghdr h;
	char data[512];
};

static int nl_open(struct nl *nl, struct hako_err *err)
{
	struct timeval timeout = { .tv_sec = 10 };
	int one = 1;

	nl->seq = 0;
	nl->kmsg[0] = '\0';
	nl->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (nl->fd < 0)
		return hako_fail(err, errno, "socket(NETLINK_ROUTE)", NULL,
				 "cannot open a netlink socket to move network devices");
	/* the kernel's reason in words ("The device is not movable"), and
	 * acks without a copy of the request */
	setsockopt(nl->fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(nl->fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	/* an answer that never comes fails (EAGAIN) instead of hanging create */
	setsockopt(nl->fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
	nl->buf = xmalloc(NL_BUF);
	return 0;
}

static void nl_close(struct nl *nl)
{
	if (nl->fd >= 0)
		close(nl->fd);
	nl->fd = -1;
	free(nl->buf);
	nl->buf = NULL;
}

static void *req_init(struct nlreq *q, uint16_t type, uint16_t flags, size_t hdrlen)
{
	memset(q, 0, sizeof(*q));
	q->h.nlmsg_type = type;
	q->h.nlmsg_flags = NLM_F_REQUEST | flags;
	q->h.nlmsg_len = NLMSG_LENGTH(hdrlen);
	return NLMSG_DATA(&q->h);
}

static void req_attr(struct nlreq *q, uint16_t type, const void *data, size_t len)
{
	size_t off = NLMSG_ALIGN(q->h.nlmsg_len);
	struct rtattr *a = (struct rtattr *)((char *)q + off);

	if (off + RTA_SPACE(len) > sizeof(*q))
		abort(); /* the requests of this file are fixed: a bug, not input */
	a->rta_type = type;
	a->rta_len = (unsigned short)RTA_LENGTH(len);
	memcpy(RTA_DATA(a), data, len);
	q->h.nlmsg_len = (uint32_t)(off + RTA_SPACE(len));
}

/* The attributes after a message's family header, by type. */
static void parse_attrs(const struct nlmsghdr *h, size_t hdrlen, const struct rtattr **tb,
			size_t max)
{
	size_t off = NLMSG_HDRLEN + NLMSG_ALIGN(hdrlen);

	memset(tb, 0, (max + 1) * sizeof(*tb));
	while (off + sizeof(struct rtattr) <= h->nlmsg_len) {
		const struct rtattr *a = (const struct rtattr *)((const char *)h + off);
		size_t type = a->rta_type & NLA_TYPE_MASK;

		if (a->rta_len < sizeof(*a) || a->rta_len > h->nlmsg_len - off)
			break;
		if (type <= max)
			tb[type] = a;
		off += RTA_ALIGN(a->rta_len);
	}
}

static void rta_string(const struct rtattr *a, char *out, size_t size)
{
	size_t len = a ? RTA_PAYLOAD(a) : 0;

	if (len >= size)
		len = size - 1;
	if (len)
		memcpy(out, RTA_DATA(a), len);
	out[len] = '\0';
	out[strcspn(out, "\n")] = '\0';
}

/* NLMSGERR_ATTR_MSG of an error ack, into nl->kmsg. */
static void take_extack(struct nl *nl, const struct nlmsghdr *h)
{
	const struct nlmsgerr *e = NLMSG_DATA(h);
	size_t off = NLMSG_HDRLEN + sizeof(*e);

	if (!(h->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (!(h->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - NLMSG_HDRLEN;
	off = NLMSG_ALIGN(off);
	while (off + sizeof(struct rtattr) <= h->nlmsg_len) {
		const struct rtattr *a = (const struct rtattr *)((const char *)h + off);

		if (a->rta_len < sizeof(*a) || a->rta_len > h->nlmsg_len - off)
			return;
		if (a->rta_type == NLMSGERR_ATTR_MSG) {
			rta_string(a, nl->kmsg, sizeof(nl->kmsg));
			return;
		}
		off += RTA_ALIGN(a->rta_len);
	}
}

typedef int (*nl_msg_fn)(const struct nlmsghdr *h, void *arg);

/* One message of an answer: -1 when more are to come, else the result
 * of the request (the first error of `fn` when the kernel had none). */
static int nl_dispatch(struct nl *nl, const struct nlmsghdr *h, nl_msg_fn fn, void *arg, int *first)
{
	if (h->nlmsg_type == NLMSG_ERROR) {
		const struct nlmsgerr *e = NLMSG_DATA(h);

		if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
			return -EPROTO;
		if (e->error)
			take_extack(nl, h);
		return e->error ? e->error : *first;
	}
	if (h->nlmsg_type == NLMSG_DONE) {
		/* a dump that failed half-way says so here */
		if (h->nlmsg_len >= NLMSG_LENGTH(sizeof(int)) && *(const int *)NLMSG_DATA(h) < 0)
			return *(const int *)NLMSG_DATA(h);
		return *first;
	}
	if (fn && *first == 0)
		*first = fn(h, arg);
	return -1;
}

/* Send a request and read its answer to the end: every data message goes
 * to `fn`; a non-dump ends with its ack (NLM_F_ACK), a dump with
 * NLMSG_DONE.  Returns 0 or -errno (the kernel's, with nl->kmsg). */
static int nl_call(struct nl *nl, struct nlreq *q, nl_msg_fn fn, void *arg)
{
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	/* NLM_F_EXCL shares a bit with NLM_F_DUMP (NLM_F_MATCH) */
	bool dump = (q->h.nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP;
	int first = 0;

	nl->kmsg[0] = '\0';
	q->h.nlmsg_seq = ++nl->seq;
	if (!dump)
		q->h.nlmsg_flags |= NLM_F_ACK;
	if (sendto(nl->fd, q, q->h.nlmsg_len, 0, (struct sockaddr *)&kernel, sizeof(kernel)) < 0)
		return -errno;
	for (;;) {
		struct iovec iov = { .iov_base = nl->buf, .iov_len = NL_BUF };
		struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
		ssize_t n = recvmsg(nl->fd, &mh, 0);
		size_t off = 0;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (mh.msg_flags & MSG_TRUNC)
			return -EMSGSIZE;
		while (off + sizeof(struct nlmsghdr) <= (size_t)n) {
			const struct nlmsghdr *h = (const struct nlmsghdr *)(nl->buf + off);
			int r;

			if (h->nlmsg_len < sizeof(*h) || h->nlmsg_len > (size_t)n - off)
				return -EPROTO;
			off += NLMSG_ALIGN(h->nlmsg_len);
			if (h->nlmsg_seq != nl->seq)
				continue; /* not ours: a late answer to an earlier request */
			r = nl_dispatch(nl, h, fn, arg, &first);
			if (r != -1)
				return r;
		}
	}
}

/* hako_fail with the kernel's own words appended when it gave some. */
static int nl_fail(struct hako_err *err, const struct nl *nl, int r, const char *step,
		   const char *dev, const char *config, const char *fmt, ...) HAKO_PRINTF(7, 8);

static int nl_fail(struct hako_err *err, const struct nl *nl, int r, const char *step,
		   const char *dev, const char *config, const char *fmt, ...)
{
	char msg[sizeof(err->msg)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (nl->kmsg[0])
		r = hako_fail(err, -r, step, dev, "%s (the kernel says: \"%s\")", msg, nl->kmsg);
	else
		r = hako_fail(err, -r, step, dev, "%s", msg);
	if (config)
		hako_err_config(err, "%s", config);
	return r;
}

/* ---- links ----------------------------------------------------------------------- */

struct link {
	int index;
	unsigned flags;
	int immutable; /* IFLA_NETNS_IMMUTABLE, -1 when the kernel does not say */
	char name[IFNAMSIZ];
};

static int link_parse(const struct nlmsghdr *h, void *arg)
{
	const struct rtattr *tb[IFLA_NETNS_IMMUTABLE + 1];
	const struct ifinfomsg *ifi = NLMSG_DATA(h);
	struct link *l = arg;

	if (h->nlmsg_type != RTM_NEWLINK || h->nlmsg_len < NLMSG_LENGTH(sizeof(*ifi)))
		return 0;
	parse_attrs(h, sizeof(*ifi), tb, IFLA_NETNS_IMMUTABLE);
	l->index = ifi->ifi_index;
	l->flags = ifi->ifi_flags;
	rta_string(tb[IFLA_IFNAME], l->name, sizeof(l->name));
	if (tb[IFLA_NETNS_IMMUTABLE] && RTA_PAYLOAD(tb[IFLA_NETNS_IMMUTABLE]) >= 1)
		l->immutable = *(const uint8_t *)RTA_DATA(tb[IFLA_NETNS_IMMUTABLE]);
	return 0;
}

/* RTM_GETLINK of one device, by name (index 0) or by index, in the
 * socket's namespace: -ENODEV when there is none. */
static int link_get(struct nl *nl, const char *name, int index, struct link *out)
{
	uint32_t mask = RTEXT_FILTER_SKIP_STATS;
	struct nlreq q;
	struct ifinfomsg *ifi = req_init(&q, RTM_GETLINK, 0, sizeof(*ifi));
	int r;

	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = index;
	if (name)
		req_attr(&q, IFLA_IFNAME, name, strlen(name) + 1);
	req_attr(&q, IFLA_EXT_MASK, &mask, sizeof(mask));
	memset(out, 0, sizeof(*out));
	out->immutable = -1;
	r = nl_call(nl, &q, link_parse, out);
	if (r == 0 && out->index <= 0)
		r = -ENODEV;
	return r;
}

/* RTM_NEWLINK on the existing device `index`: into the namespace of
 * `netns_fd` (>= 0), to `name` (non-NULL), up (`up`). */
static int link_set(struct nl *nl, int index, int netns_fd, const char *name, bool up)
{
	struct nlreq q;
	struct ifinfomsg *ifi = req_init(&q, RTM_NEWLINK, 0, sizeof(*ifi));

	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = index;
	if (up) {
		ifi->ifi_flags = IFF_UP;
		ifi->ifi_change = IFF_UP;
	}
	if (netns_fd >= 0) {
		uint32_t fd = (uint32_t)netns_fd;
		req_attr(&q, IFLA_NET_NS_FD, &fd, sizeof(fd));
	}
	if (name)
		req_attr(&q, IFLA_IFNAME, name, strlen(name) + 1);
	return nl_call(nl, &q, NULL, NULL);
}

/* ---- addresses ------------------------------------------------------------------- */

/* Flags a new address may carry over (the rest are state the kernel keeps:
 * PERMANENT, SECONDARY, TENTATIVE, DEPRECATED, DADFAILED, ...). */
#define ADDR_KEEP_FLAGS \
	(IFA_F_NODAD | IFA_F_HOMEADDRESS | IFA_F_MANAGETEMPADDR | IFA_F_NOPREFIXROUTE | \
	 IFA_F_MCAUTOJOIN)

struct addr {
	struct ifaddrmsg ifa;
	uint32_t flags;
	char label[IFNAMSIZ];          /* IFA_LABEL (IPv4), "" when none */
	unsigned char attrs[96];       /* IFA_ADDRESS, LOCAL, BROADCAST, RT_PRIORITY, PROTO */
	size_t len;
	char text[INET6_ADDRSTRLEN + 8]; /* "10.0.0.1/24" for messages */
};

struct addr_list {
	int index;
	struct addr *v;
	size_t n;
};

static void addr_text(struct addr *a, const struct rtattr *at)
{
	char ip[INET6_ADDRSTRLEN] = "?";

	if (at && RTA_PAYLOAD(at) >= (a->ifa.ifa_family == AF_INET6 ? 16u : 4u))
		inet_ntop(a->ifa.ifa_family, RTA_DATA(at), ip, sizeof(ip));
	snprintf(a->text, sizeof(a->text), "%s/%u", ip, a->ifa.ifa_prefixlen);
}

/* Keep what runtime-spec names: permanent (IFA_F_PERMANENT) addresses of
 * any family with global scope (RT_SCOPE_UNIVERSE).  Link-local ones come
 * back by themselves when the device is up; ones with lifetimes (DHCP,
 * SLAAC) belong to whoever renews them. */
static int addr_collect(const struct nlmsghdr *h, void *arg)
{
	static const unsigned short copied[] = { IFA_ADDRESS, IFA_LOCAL, IFA_BROADCAST,
						 IFA_RT_PRIORITY, IFA_PROTO };
	const struct rtattr *tb[IFA_MAX + 1];
	const struct ifaddrmsg *ifa = NLMSG_DATA(h);
	struct addr_list *list = arg;
	struct addr *a;
	uint32_t flags;

	if (h->nlmsg_type != RTM_NEWADDR || h->nlmsg_len < NLMSG_LENGTH(sizeof(*ifa)) ||
	    (int)ifa->ifa_index != list->index || ifa->ifa_scope != RT_SCOPE_UNIVERSE)
		return 0;
	parse_attrs(h, sizeof(*ifa), tb, IFA_MAX);
	flags = tb[IFA_FLAGS] && RTA_PAYLOAD(tb[IFA_FLAGS]) >= 4
			? *(const uint32_t *)RTA_DATA(tb[IFA_FLAGS])
			: ifa->ifa_flags;
	if (!(flags & IFA_F_PERMANENT))
		return 0;
	list->v = xrealloc(list->v, (list->n + 1) * sizeof(*list->v));
	a = &list->v[list->n++];
	memset(a, 0, sizeof(*a));
	a->ifa = *ifa;
	a->flags = flags & ADDR_KEEP_FLAGS;
	rta_string(tb[IFA_LABEL], a->label, sizeof(a->label));
	for (size_t i = 0; i < ARRAY_SIZE(copied); i++) {
		const struct rtattr *at = tb[copied[i]];
		if (!at || a->len + RTA_ALIGN(at->rta_len) > sizeof(a->attrs))
			continue;
		memcpy(a->attrs + a->len, at, at->rta_len);
		a->len += RTA_ALIGN(at->rta_len);
	}
	addr_text(a, tb[IFA_LOCAL] ? tb[IFA_LOCAL] : tb[IFA_ADDRESS]);
	return 0;
}

/* RTM_GETADDR dump, filtered here: without NETLINK_GET_STRICT_CHK the
 * kernel ignores ifa_index in a dump request. */
static int addr_read(struct nl *nl, int index, struct addr_list *out)
{
	struct nlreq q;
	struct ifaddrmsg *ifa = req_init(&q, RTM_GETADDR, NLM_F_DUMP, sizeof(*ifa));

	ifa->ifa_family = AF_UNSPEC;
	out->index = index;
	return nl_call(nl, &q, addr_collect, out);
}

/* An IPv4 label is the device name or "name:alias": follow a rename. */
static void addr_label(const struct addr *a, const char *from, const char *to, char *out,
		       size_t size)
{
	size_t n = strlen(from);

	out[0] = '\0';
	if (!a->label[0] || !strcmp(a->label, from))
		return; /* the kernel labels it with the device's name */
	if (!strncmp(a->label, from, n) && a->label[n] == ':') {
		if (strlen(to) + strlen(a->label + n) < size)
			snprintf(out, size, "%s%s", to, a->label + n);
		return;
	}
	snprintf(out, size, "%s", a->label);
}

/* RTM_NEWADDR of a collected address on device `index`, named `to` there
 * (`from` was its name where the address was read). */
static int addr_add(struct nl *nl, int index, const struct addr *a, const char *from,
		    const char *to)
{
	char label[IFNAMSIZ];
	struct nlreq q;
	struct ifaddrmsg *ifa = req_init(&q, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, sizeof(*ifa));
	size_t off = NLMSG_ALIGN(q.h.nlmsg_len);

	*ifa = a->ifa;
	ifa->ifa_index = (uint32_t)index;
	ifa->ifa_flags = (uint8_t)(a->flags & 0xff);
	memcpy((char *)&q + off, a->attrs, a->len);
	q.h.nlmsg_len = (uint32_t)(off + a->len);
	req_attr(&q, IFA_FLAGS, &a->flags, sizeof(a->flags));
	addr_label(a, from, to, label, sizeof(label));
	if (label[0])
		req_attr(&q, IFA_LABEL, label, strlen(label) + 1);
	return nl_call(nl, &q, NULL, NULL);
}

/* ---- preflight ------------------------------------------------------------------- */

static int preflight_on(struct nl *nl, const struct spec_net_device *d, struct hako_err *err)
{
	char config[96];
	struct link l;
	int r = link_get(nl, d->host_name, 0, &l);

	json_path_key(config, sizeof(config), "linux.netDevices", d->host_name);
	if (r == -ENODEV) {
		r = hako_fail(err, ENODEV, "netlink RTM_GETLINK", d->host_name,
			      "network device \"%s\" does not exist on the host", d->host_name);
		hako_err_config(err, "%s", config);
		hako_err_hint(err, "the keys of linux.netDevices are device names in hako's network "
				   "namespace ('ip link' lists them); \"name\" is the name inside the "
				   "container");
		return r;
	}
	if (r < 0)
		return nl_fail(err, nl, r, "netlink RTM_GETLINK", d->host_name, config,
			       "cannot look up network device \"%s\" on the host", d->host_name);
	if (l.flags & IFF_LOOPBACK) {
		r = hako_fail_config(err, config, "network device \"%s\" is a loopback device, which "
				     "cannot leave its network namespace", d->host_name);
		hako_err_hint(err, "every network namespace has a loopback device of its own (\"lo\", "
				   "down until something brings it up); drop \"%s\" from "
				   "linux.netDevices",
			      d->host_name);
		return r;
	}
	if (l.immutable == 1) {
		r = hako_fail_config(err, config, "network device \"%s\" cannot leave its network "
				     "namespace: the kernel marks it netns-immutable", d->host_name);
		hako_err_hint(err, "bridges, VRFs and some tunnel devices stay in the namespace they "
				   "were made in; move a veth or macvlan device attached to it "
				   "instead, or create the device inside the container's namespace "
				   "from a createRuntime hook");
		return r;
	}
	return 0;
}

int netdev_preflight_one(const struct spec_net_device *d, struct hako_err *err)
{
	struct nl nl;
	int r = nl_open(&nl, err);

	if (r < 0)
		return r;
	r = preflight_on(&nl, d, err);
	nl_close(&nl);
	return r;
}

int netdev_preflight(const struct spec *s, struct hako_err *err)
{
	struct nl nl;
	int r = 0;

	if (!s->lnx.n_net_devices)
		return 0;
	if ((r = nl_open(&nl, err)) < 0)
		return r;
	for (size_t i = 0; r == 0 && i < s->lnx.n_net_devices; i++)
		r = preflight_on(&nl, &s->lnx.net_devices[i], err);
	nl_close(&nl);
	return r;
}

/* ---- moving ---------------------------------------------------------------------- */

struct moved {
	char host_name[IFNAMSIZ];
	char name[IFNAMSIZ]; /* its name in the container's namespace */
	int index;           /* its index there */
	bool was_up;
	struct addr_list addrs;
};

struct netdev_moves {
	int host_ns, target_ns; /* hako's network namespace, the container's */
	struct nl host, ctr;    /* sockets in each (a socket stays in the namespace it was made in) */
	struct moved *v;
	size_t n;
};

static const char *target_name(const struct spec_net_device *d)
{
	return d->name && d->name[0] ? d->name : d->host_name;
}

void netdev_forget(struct netdev_moves *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->n; i++)
		free(m->v[i].addrs.v);
	free(m->v);
	nl_close(&m->host);
	nl_close(&m->ctr);
	if (m->host_ns >= 0)
		close(m->host_ns);
	if (m->target_ns >= 0)
		close(m->target_ns);
	free(m);
}

/* The namespaces, and a socket in each.  The container's socket is made
 * inside it (setns there and straight back: hako is single-threaded), so
 * every later step is a message, not a stay in the container's namespace. */
static int open_namespaces(struct netdev_moves *m, pid_t init, int join_fd, struct hako_err *err)
{
	char path[64];
	int r;

	snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)init);
	m->host_ns = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (m->host_ns < 0)
		return hako_fail(err, errno, "open namespace", "/proc/self/ns/net",
				 "cannot open hako's network namespace");
	m->target_ns = join_fd >= 0 ? fcntl(join_fd, F_DUPFD_CLOEXEC, 3)
				    : open(path, O_RDONLY | O_CLOEXEC);
	if (m->target_ns < 0)
		return hako_fail(err, errno, "open namespace", join_fd >= 0 ? NULL : path,
				 "cannot open the container's network namespace");
	if ((r = nl_open(&m->host, err)) < 0)
		return r;
	if (setns(m->target_ns, CLONE_NEWNET) < 0)
		return hako_fail(err, errno, "setns(net)", NULL,
				 "cannot enter the container's network namespace to move network "
				 "devices into it");
	r = nl_open(&m->ctr, err);
	/* back to hako's own: it came from there, so it may return */
	if (setns(m->host_ns, CLONE_NEWNET) < 0)
		abort();
	return r;
}

/* "MUST generate an error" when the name is taken in the container's
 * namespace, unless it is a "%d" template the kernel numbers.  Checked
 * for every device before the first moves, so a clash moves nothing. */
static int check_free(struct netdev_moves *m, const struct spec_net_device *d,
		      struct hako_err *err)
{
	const char *name = target_name(d);
	char config[96];
	struct link l;
	int r;

	if (strchr(name, '%'))
		return 0;
	json_path_key(config, sizeof(config), "linux.netDevices", d->host_name);
	r = link_get(&m->ctr, name, 0, &l);
	if (r == -ENODEV)
		return 0;
	if (r < 0)
		return nl_fail(err, &m->ctr, r, "netlink RTM_GETLINK", name, config,
			       "cannot look up \"%s\" in the container's network namespace", name);
	r = hako_fail(err, EEXIST, "netlink RTM_GETLINK", name,
		      "network device \"%s\" cannot be moved into the container as \"%s\": a "
		      "device of that name (index %d) is already in the container's network "
		      "namespace",
		      d->host_name, name, l.index);
	hako_err_config(err, "%s", config);
	hako_err_hint(err, "give it another \"name\", or end the name in %%d (\"eth%%d\") for the "
			   "kernel to number it");
	return r;
}

/* A name under which the device can enter when its own is taken there:
 * the kernel would use the final name as a fallback, but a "%d" one is
 * numbered twice (on entry and again by the rename) and cannot be found. */
static int transit_name(struct netdev_moves *m, char *out, size_t size)
{
	struct link l;

	for (int i = 0; i < 1000; i++) {
		int r;
		snprintf(out, size, "hako-mv%d", i);
		r = link_get(&m->ctr, out, 0, &l);
		if (r == -ENODEV)
			return 0;
		if (r < 0)
			return r;
	}
	return -EEXIST;
}

/* "cannot VERB network device "eth0"WHERE", and what an errno suggests */
static int move_fail(struct hako_err *err, const struct nl *nl, int r, const char *step,
		     const char *host_name, const char *config, const char *verb, const char *where)
{
	r = nl_fail(err, nl, r, step, host_name, config, "cannot %s network device \"%s\"%s", verb,
		    host_name, where);
	switch (-r) {
	case EINVAL:
		hako_err_hint(err, "the kernel refuses to move this kind of device (netns-local: "
				   "bridges, loopback, some tunnels) or the name; move a veth or "
				   "macvlan device instead");
		break;
	case EBUSY:
		hako_err_hint(err, "is the device busy (enslaved to a bridge or bond, used by "
				   "another program)? 'ip link show %s' says",
			      host_name);
		break;
	case ENODEV:
		hako_err_hint(err, "does it still exist on the host? 'ip link' lists the devices; "
				   "something removed it while the container was created");
		break;
	case EPERM:
		hako_err_hint(err, "moving a device needs CAP_NET_ADMIN in both network namespaces' "
				   "user namespaces");
		break;
	}
	return r;
}

/* Move one device in: read its addresses, move it, find it there.  From
 * then on it is in m->v, so a later failure moves it back. */
static int enter_one(struct netdev_moves *m, const struct spec_net_device *d, const char *config,
		     struct hako_err *err)
{
	struct moved *mv = &m->v[m->n];
	char transit[IFNAMSIZ];
	const char *entry = NULL;
	struct link hl, cl;
	int r;

	memset(mv, 0, sizeof(*mv));
	snprintf(mv->host_name, sizeof(mv->host_name), "%s", d->host_name);
	if ((r = link_get(&m->host, d->host_name, 0, &hl)) < 0) {
		r = move_fail(err, &m->host, r, "netlink RTM_GETLINK", d->host_name, config,
			      "look up", " on the host");
		goto fail;
	}
	/* moving flushes them: read first (config-linux.md: MUST preserve) */
	if ((r = addr_read(&m->host, hl.index, &mv->addrs)) < 0) {
		r = move_fail(err, &m->host, r, "netlink RTM_GETADDR", d->host_name, config,
			      "read the addresses of", " on the host");
		goto fail;
	}
	/* The move fails when the device's name is taken in the target, and a
	 * name given with the move is applied after it (rtnetlink do_setlink):
	 * a clash there leaves the device moved under its old name.  So it
	 * enters under a name known to be free, and is renamed in place. */
	r = link_get(&m->ctr, d->host_name, 0, &cl);
	if (r == 0) {
		r = transit_name(m, transit, sizeof(transit));
		entry = transit;
	}
	if (r < 0 && r != -ENODEV) {
		r = move_fail(err, &m->ctr, r, "netlink RTM_GETLINK", d->host_name, config,
			      "find a free name for", " in the container's network namespace");
		goto fail;
	}
	if ((r = link_set(&m->host, hl.index, m->target_ns, entry, false)) < 0) {
		r = move_fail(err, &m->host, r, "netlink RTM_NEWLINK", d->host_name, config, "move",
			      " into the container's network namespace");
		goto fail;
	}
	if ((r = link_get(&m->ctr, entry ? entry : d->host_name, 0, &cl)) < 0) {
		r = move_fail(err, &m->ctr, r, "netlink RTM_GETLINK", d->host_name, config, "find",
			      " in the container's network namespace");
		goto fail;
	}
	mv->index = cl.index;
	mv->was_up = hl.flags & IFF_UP;
	snprintf(mv->name, sizeof(mv->name), "%s", cl.name);
	m->n++;
	return 0;
fail:
	free(mv->addrs.v);
	mv->addrs.v = NULL;
	return r;
}

/* Inside: its name, its addresses, up. */
static int settle_one(struct netdev_moves *m, struct moved *mv, const char *name,
		      const char *config, struct hako_err *err)
{
	struct link cl;
	int r;

	if (strcmp(name, mv->name)) {
		if ((r = link_set(&m->ctr, mv->index, -1, name, false)) < 0)
			return nl_fail(err, &m->ctr, r, "netlink RTM_NEWLINK", mv->host_name, config,
				       "cannot rename network device \"%s\" to \"%s\" in the "
				       "container's network namespace",
				       mv->host_name, name);
		/* a "%d" template: learn the number the kernel gave */
		if ((r = link_get(&m->ctr, NULL, mv->index, &cl)) < 0)
			return move_fail(err, &m->ctr, r, "netlink RTM_GETLINK", mv->host_name,
					 config, "find", " in the container's network namespace");
		snprintf(mv->name, sizeof(mv->name), "%s", cl.name);
	}
	for (size_t i = 0; i < mv->addrs.n; i++) {
		const struct addr *a = &mv->addrs.v[i];
		if ((r = addr_add(&m->ctr, mv->index, a, mv->host_name, mv->name)) < 0)
			return nl_fail(err, &m->ctr, r, "netlink RTM_NEWADDR", mv->host_name, config,
				       "cannot add address %s of network device \"%s\" again as "
				       "\"%s\" in the container's network namespace",
				       a->text, mv->host_name, mv->name);
	}
	/* config-linux.md: the runtime MUST set the device "up" */
	if ((r = link_set(&m->ctr, mv->index, -1, NULL, true)) < 0)
		return nl_fail(err, &m->ctr, r, "netlink RTM_NEWLINK", mv->host_name, config,
			       "cannot bring network device \"%s\" up as \"%s\" in the container's "
			       "network namespace",
			       mv->host_name, mv->name);
	hako_debug("network device %s is %s (index %d) in the container, with %zu address(es)",
		   mv->host_name, mv->name, mv->index, mv->addrs.n);
	return 0;
}

static int move_one(struct netdev_moves *m, const struct spec_net_device *d, struct hako_err *err)
{
	char config[96];
	int r;

	json_path_key(config, sizeof(config), "linux.netDevices", d->host_name);
	if ((r = enter_one(m, d, config, err)) < 0)
		return r;
	return settle_one(m, &m->v[m->n - 1], target_name(d), config, err);
}

int netdev_attach(const struct spec *s, pid_t init, int join_fd, struct netdev_moves **ret,
		  struct hako_err *err)
{
	const struct spec_linux *l = &s->lnx;
	struct netdev_moves *m;
	int r;

	*ret = NULL;
	if (!l->n_net_devices)
		return 0;
	m = xcalloc(1, sizeof(*m));
	m->host_ns = m->target_ns = m->host.fd = m->ctr.fd = -1;
	m->v = xcalloc(l->n_net_devices, sizeof(*m->v));
	r = open_namespaces(m, init, join_fd, err);
	for (size_t i = 0; r == 0 && i < l->n_net_devices; i++)
		r = check_free(m, &l->net_devices[i], err);
	for (size_t i = 0; r == 0 && i < l->n_net_devices; i++)
		r = move_one(m, &l->net_devices[i], err);
	if (r < 0) {
		netdev_rollback(m);
		return r;
	}
	*ret = m;
	return 0;
}

/* ---- rollback -------------------------------------------------------------------- */

static void move_back(struct netdev_moves *m, const struct moved *mv)
{
	struct link hl;
	int r;

	/* back under its host name: the kernel enters it under its container
	 * name when that is free on the host and renames it after, or under
	 * the host name directly */
	r = link_set(&m->ctr, mv->index, m->host_ns, mv->host_name, false);
	if (r < 0 && link_get(&m->ctr, NULL, mv->index, &hl) == 0) {
		hako_warn("network device \"%s\" (\"%s\" in the container) could not be moved back "
			  "to the host: %s%s%s; it returns when the container's network namespace "
			  "is freed, unless it is a virtual device, which the kernel destroys",
			  mv->host_name, mv->name, strerror(-r), m->ctr.kmsg[0] ? ": " : "",
			  m->ctr.kmsg);
		return;
	}
	if (link_get(&m->host, mv->host_name, 0, &hl) < 0) {
		if (link_get(&m->host, mv->name, 0, &hl) < 0) {
			hako_warn("network device \"%s\" left the container's network namespace but "
				  "is not on the host under \"%s\" or \"%s\"",
				  mv->host_name, mv->host_name, mv->name);
			return;
		}
		hako_warn("network device \"%s\" is back on the host as \"%s\": its name was taken "
			  "meanwhile",
			  mv->host_name, mv->name);
	}
	for (size_t i = 0; i < mv->addrs.n; i++) {
		const struct addr *a = &mv->addrs.v[i];
		if ((r = addr_add(&m->host, hl.index, a, mv->host_name, hl.name)) < 0)
			hako_warn("network device \"%s\" is back on the host without its address "
				  "%s: %s%s%s",
				  mv->host_name, a->text, strerror(-r), m->host.kmsg[0] ? ": " : "",
				  m->host.kmsg);
	}
	if (mv->was_up && (r = link_set(&m->host, hl.index, -1, NULL, true)) < 0)
		hako_warn("network device \"%s\" is back on the host but down: %s", mv->host_name,
			  strerror(-r));
}

void netdev_rollback(struct netdev_moves *m)
{
	if (!m)
		return;
	for (size_t i = m->n; i-- > 0;)
		move_back(m, &m->v[i]);
	netdev_forget(m);
}
