/* seccomp_bpf.h - classic BPF for seccomp, without libseccomp: running a
 * filter in user space, and the front end that joins the per-architecture
 * programs libseccomp generates, with an ENOSYS answer for syscalls newer
 * than the profile.
 *
 * Running a filter here lets hako ask the compiled program, not its own
 * reading of the config, what the kernel will answer: whether execve and
 * the few calls the init makes after loading survive the profile, and
 * which errno a report-mode monitor must answer for a denied call.
 */
#ifndef HAKO_LINUX_SECCOMP_BPF_H
#define HAKO_LINUX_SECCOMP_BPF_H

#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HAKO_X32_SYSCALL_BIT 0x40000000U

/* What the kernel would return for `d`: SECCOMP_RET_* with its data.  A
 * malformed program (a jump or load out of range) yields
 * SECCOMP_RET_KILL_PROCESS, as the kernel would refuse to load it. */
uint32_t seccomp_bpf_run(const struct sock_filter *prog, size_t len, const struct seccomp_data *d);

/* One architecture's part of the filter: libseccomp's program for it
 * alone, and the highest syscall number the profile names on it.  x86-64
 * and x32 share AUDIT_ARCH_X86_64; x32 numbers carry HAKO_X32_SYSCALL_BIT. */
struct seccomp_bpf_part {
	uint32_t audit_arch;
	bool x32;     /* the x32 half of AUDIT_ARCH_X86_64 */
	bool has_max; /* answer ENOSYS above max */
	uint32_t max;
	const struct sock_filter *prog;
	size_t len;
};

/* One program from per-architecture ones: a front end dispatches on
 * seccomp_data.arch (and the x32 bit), answers ENOSYS for a number above
 * the part's maximum (runc's patchbpf idea: a syscall newer than the
 * profile looks unimplemented, so libc falls back, instead of forbidden),
 * and kills the process for an architecture no part covers.  libseccomp
 * builds one multi-architecture program ten times slower than three
 * single ones (20 ms against 2 for hako's default profile), which every
 * `create` would pay.  Returns a malloc'd program in *ret, or -E2BIG past
 * BPF_MAXINSNS. */
int seccomp_bpf_link(const struct seccomp_bpf_part *parts, size_t n, struct sock_filter **ret,
		     size_t *ret_len);

#endif
