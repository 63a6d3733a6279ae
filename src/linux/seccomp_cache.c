/* seccomp_cache.c - compiled filters kept by their exact input.
 *
 * libseccomp spends milliseconds on a profile of a few hundred names (a
 * linear name lookup per syscall and architecture, then its optimizer),
 * more than the rest of `hako run`, and the same input always compiles to
 * the same program.  So `create` keeps the program in
 * /var/cache/hako/seccomp/<hash> and later loads it instead of compiling.
 *
 * The key is everything the compiler reads - the linux.seccomp and
 * process.capabilities JSON, noNewPrivileges, report mode - and everything
 * it depends on: this very hako binary (device, inode, size, mtime of
 * /proc/self/exe), libseccomp's version, the kernel (flags and actions it
 * supports).  The hash only names the file: the whole key is stored in it
 * and compared byte for byte, so a collision can never load another
 * profile's filter.  Only compiles without warnings are kept, so a cache
 * hit says nothing a fresh compile would have said.
 *
 * A cached program is loaded into containers as it is, so whoever can
 * write an entry decides their filter (one RET ALLOW turns it off).  The
 * directory is used only when it is hako's own - owned by the effective
 * uid, no group or other write - and each entry only when it is a regular
 * file of that uid, mode 0600, reached without a symlink.  Anything else
 * means no cache: hako compiles, as it would without one.
 */
#include "linux/seccomp_cache.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "linux/seccomp_prog.h"
#include "spec/json.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/log.h"

#define MAGIC "HAKOSC01"
#define MAX_ENTRIES 64
#define MAX_ENTRY_SIZE (64 << 20)
#define DEFAULT_PARENT "/var/cache/hako"
#define DEFAULT_DIR DEFAULT_PARENT "/seccomp"

const char *seccomp_cache_dir(void)
{
	const char *dir = getenv("HAKO_SECCOMP_CACHE");

	if (dir && *dir)
		return dir;
	return geteuid() == 0 ? DEFAULT_DIR : NULL;
}

int seccomp_cache_key(const struct spec *s, bool report, struct buf *key)
{
	const struct scmp_version *v = seccomp_version();
	yajl_val process = json_get(s->tree, "process");
	yajl_val lnx = json_get(s->tree, "linux");
	struct utsname u;
	struct stat st;

	if (stat("/proc/self/exe", &st) < 0 || uname(&u) < 0)
		return -errno;
	buf_printf(key, "%s\nexe %llu %llu %lld %lld.%09ld\nlibseccomp %u.%u.%u\nkernel %s %s %s\n",
		   MAGIC, (unsigned long long)st.st_dev, (unsigned long long)st.st_ino,
		   (long long)st.st_size, (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec,
		   v ? v->major : 0, v ? v->minor : 0, v ? v->micro : 0, u.release, u.version,
		   u.machine);
	buf_printf(key, "report %d\nnnp %d\ncaps ", report, s->process.no_new_privileges);
	json_write_value(key, json_get(process, "capabilities"));
	buf_puts(key, "\nseccomp ");
	json_write_value(key, json_get(lnx, "seccomp"));
	buf_putc(key, '\n');
	return 0;
}

/* FNV-1a: only a file name, never trusted (see the head comment). */
static void key_name(const struct buf *key, char *out, size_t size)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < key->len; i++)
		h = (h ^ (unsigned char)key->p[i]) * 0x100000001b3ULL;
	snprintf(out, size, "%016llx", (unsigned long long)h);
}

struct cursor {
	const char *p;
	size_t left;
};

static bool take(struct cursor *c, void *out, size_t n)
{
	if (n == 0)
		return true; /* an empty part: out may be NULL */
	if (c->left < n)
		return false;
	memcpy(out, c->p, n);
	c->p += n;
	c->left -= n;
	return true;
}

static bool take_prog(struct cursor *c, struct sock_filter **prog, size_t *len)
{
	uint32_t n;

	if (!take(c, &n, sizeof(n)) || n > BPF_MAXINSNS || c->left < n * sizeof(**prog))
		return false;
	*len = n;
	*prog = n ? xmalloc(n * sizeof(**prog)) : NULL;
	return take(c, *prog, n * sizeof(**prog));
}

/* The directory as an fd, when it is hako's own (see the head comment);
 * else -1, said once at debug level. */
static int open_dir(const char *dir)
{
	static bool said;
	_cleanup_close_ int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	struct stat st = { 0 };

	if (fd < 0 && errno == ENOENT)
		return -1;
	if (fd >= 0 && fstat(fd, &st) == 0 && st.st_uid == geteuid() && !(st.st_mode & 022))
		return TAKE_FD(fd);
	if (!said && fd < 0)
		hako_debug("seccomp cache '%s' is not used: %s", dir, strerror(errno));
	else if (!said)
		hako_debug("seccomp cache '%s' is not used: its owner is uid %u and its mode %04o; "
			   "it must be owned by uid %u and writable by no one else",
			   dir, (unsigned)st.st_uid, (unsigned)(st.st_mode & 07777),
			   (unsigned)geteuid());
	said = true;
	return -1;
}

/* An entry's whole content, when it is a regular file of ours that no one
 * else can read or write; never through a symlink.  O_NONBLOCK: a FIFO
 * placed there must not block the open. */
static bool read_entry(int dfd, const char *name, char **data, size_t *len)
{
	_cleanup_close_ int fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	size_t got = 0;

	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid() ||
	    (st.st_mode & 077) || st.st_size <= 0 || st.st_size > MAX_ENTRY_SIZE)
		return false;
	*len = (size_t)st.st_size;
	*data = xmalloc(*len);
	while (got < *len) {
		ssize_t n = read(fd, *data + got, *len - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	if (got == *len)
		return true;
	free(*data);
	*data = NULL;
	return false;
}

bool seccomp_cache_load(const char *dir, const struct buf *key, struct seccomp_prog *p)
{
	_cleanup_free_ char *data = NULL;
	_cleanup_close_ int dfd = open_dir(dir);
	char name[32];
	struct cursor c;
	uint32_t klen, flags;
	uint8_t notify;
	size_t len;

	key_name(key, name, sizeof(name));
	if (dfd < 0 || !read_entry(dfd, name, &data, &len))
		return false;
	c = (struct cursor){ data, len };
	if (!take(&c, &klen, sizeof(klen)) || klen != key->len || c.left < klen ||
	    memcmp(c.p, key->p, klen))
		return false;
	c.p += klen;
	c.left -= klen;
	if (!take(&c, &flags, sizeof(flags)) || !take(&c, &notify, sizeof(notify)) ||
	    !take_prog(&c, &p->insns, &p->len) || !take_prog(&c, &p->profile, &p->profile_len) ||
	    c.left) {
		free(p->insns);
		free(p->profile);
		p->insns = p->profile = NULL;
		return false;
	}
	p->flags = flags;
	p->notify = notify;
	return true;
}

static void put_prog(struct buf *b, const struct sock_filter *prog, size_t len)
{
	uint32_t n = (uint32_t)len;

	buf_put(b, &n, sizeof(n));
	if (len)
		buf_put(b, prog, len * sizeof(*prog));
}

/* A bound on the directory: a changed hako, libseccomp or kernel leaves
 * old entries no key can match any more. */
static void trim(int dfd)
{
	_cleanup_closedir_ DIR *d = NULL;
	struct dirent *e;
	size_t n = 0;
	int fd = openat(dfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0 || !(d = fdopendir(fd))) {
		if (fd >= 0)
			close(fd);
		return;
	}
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	if (n < MAX_ENTRIES)
		return;
	rewinddir(d);
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			unlinkat(dirfd(d), e->d_name, 0);
}

/* Make the cache directory, 0700, only where no one else could have put
 * or moved things: under a parent of ours that only we can write, or at
 * the default place.  Never a whole path someone named in the environment
 * (`mkdir -p` of it would make directories wherever that points). */
static void make_dir(const char *dir)
{
	_cleanup_free_ char *parent = xstrdup(dir);
	_cleanup_close_ int pfd = -1;
	char *slash = strrchr(parent, '/');
	struct stat st;

	if (!strcmp(dir, DEFAULT_DIR)) {
		if (mkdir_p(DEFAULT_PARENT, 0755, NULL) == 0)
			mkdir(dir, 0700);
		return;
	}
	if (!slash || !slash[1])
		return;
	*slash = '\0';
	pfd = open(slash == parent ? "/" : parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (pfd < 0 || fstat(pfd, &st) < 0 || st.st_uid != geteuid() || (st.st_mode & 022))
		return;
	mkdirat(pfd, slash + 1, 0700);
}

void seccomp_cache_store(const char *dir, const struct buf *key, const struct seccomp_prog *p)
{
	_cleanup_buf_ struct buf b = { 0 };
	_cleanup_close_ int dfd = -1;
	uint32_t klen = (uint32_t)key->len, flags = p->flags;
	uint8_t notify = p->notify;
	char name[32];

	if (access(dir, F_OK) < 0 && errno == ENOENT)
		make_dir(dir);
	dfd = open_dir(dir);
	if (dfd < 0)
		return;
	trim(dfd);
	buf_put(&b, &klen, sizeof(klen));
	buf_put(&b, key->p, key->len);
	buf_put(&b, &flags, sizeof(flags));
	buf_put(&b, &notify, sizeof(notify));
	put_prog(&b, p->insns, p->len);
	put_prog(&b, p->profile, p->profile_len);
	key_name(key, name, sizeof(name));
	/* best effort: a cache that cannot be written only costs time.  A
	 * temporary file made with O_CREAT|O_EXCL|O_NOFOLLOW, 0600, renamed
	 * over the name: a reader never sees half an entry. */
	write_file_atomic(dfd, name, b.p, b.len, NULL);
}
