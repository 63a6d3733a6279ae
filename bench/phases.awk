# phases.awk - hako's start path in phases, from a syscall trace.
#
# Input: `perf script -F comm,pid,time,event,trace` of raw_syscalls:sys_enter,
# raw_syscalls:sys_exit, sched:sched_process_exec and sched:sched_process_exit
# over any number of `hako run` of a command (x86-64 syscall numbers).
# Output: the median of each phase over the runs (us), and per phase the
# syscalls that took the most time in it (mean per run) and the time spent
# between syscalls ("user space": hako's own code, page faults, scheduling).
# Phase borders are syscalls that mark a step of docs/architecture.md's
# table; the init is told from hako by the pid that clone3 returns.

BEGIN {
	split("0 read 1 write 3 close 7 poll 9 mmap 10 mprotect 11 munmap 12 brk 14 rt_sigprocmask " \
	      "21 access 44 sendto 45 recvfrom 53 socketpair 56 clone 59 execve 61 wait4 " \
	      "72 fcntl 80 chdir 81 fchdir 83 mkdir 84 rmdir 89 readlink 95 umask 137 statfs " \
	      "155 pivot_root 157 prctl 165 mount 166 umount2 170 sethostname 191 getxattr " \
	      "217 getdents64 231 exit_group 247 waitid 250 keyctl 257 openat 258 mkdirat " \
	      "259 mknodat 260 fchownat 262 newfstatat 263 unlinkat 264 renameat 266 symlinkat " \
	      "268 fchmodat 272 unshare 273 set_robust_list 282 signalfd 289 signalfd4 " \
	      "302 prlimit64 308 setns 317 seccomp 424 pidfd_send_signal 428 open_tree " \
	      "429 move_mount 430 fsopen 431 fsconfig 432 fsmount 434 pidfd_open 435 clone3 " \
	      "436 close_range 437 openat2 442 mount_setattr 125 capget 126 capset " \
	      "73 flock 5 fstat 4 stat 8 lseek 16 ioctl 39 getpid 63 uname 79 getcwd " \
	      "318 getrandom 334 rseq 218 set_tid_address 158 arch_prctl 117 setresuid " \
	      "119 setresgid 116 setgroups 107 geteuid 102 getuid", kv, " ")
	for (i = 1; i in kv; i += 2)
		NAME[kv[i]] = kv[i + 1]
	# rows: name, process, from marker, to marker
	nrow = split("hako: exec, dynamic linking|hako|exec|ld;" \
		     "hako: load and validate config.json|hako|ld|mkdir;" \
		     "hako: state dir, cgroup dirs, socketpair|hako|mkdir|clone;" \
		     "hako: clone3 (namespaces)|hako|clone|cloned;" \
		     "init: join cgroups, up to sethostname|init|cfirst|host;" \
		     "init: hostname, rootfs, mounts, /dev, pivot|init|host|pivot;" \
		     "init: masked/ro paths, caps, user (READY)|init|pivot|ready;" \
		     "hako: state.json, START|hako|ready|start;" \
		     "init: START to execve of the process|init|start|cexec;" \
		     "process runs and exits|init|cexec|cexit;" \
		     "hako: reap, delete (cgroups, state)|hako|cexit|pexit", rows, ";")
	for (i = 1; i <= nrow; i++)
		{ split(rows[i], f, "|"); RN[i] = f[1]; RP[i] = f[2]; RA[i] = f[3]; RB[i] = f[4] }
}

function sysname(nr) { return nr in NAME ? NAME[nr] : "nr" nr }
function sysno(s) { sub(/^.*NR /, "", s); sub(/ .*/, "", s); return s + 0 }
function ret(s) { sub(/^.* = /, "", s); return s + 0 }
function mark(r, m) { if (!((r, m) in T)) T[r, m] = t }

{
	pid = $2 + 0
	t = $3; sub(/:$/, "", t); t = t * 1e6
	ev = $4; sub(/:$/, "", ev)
	rest = $0; sub(/^.*(sys_enter|sys_exit|sched_process_exec|sched_process_exit): /, "", rest)
	nr = ev ~ /raw_syscalls/ ? sysno(rest) : -1
}

# Every syscall of hako and its init: run, process, entry time, duration.
ev == "raw_syscalls:sys_enter" && ((pid in run_of) || (pid in init_of)) { entered[pid] = t }
ev == "raw_syscalls:sys_exit" && (pid in entered) {
	ns++
	S_run[ns] = (pid in run_of) ? run_of[pid] : init_of[pid]
	S_proc[ns] = (pid in run_of) ? "hako" : "init"
	S_t[ns] = entered[pid]
	S_d[ns] = t - entered[pid]
	S_nr[ns] = nr
	delete entered[pid]
}

ev == "sched:sched_process_exec" && rest ~ /filename=[^ ]*\/hako / {
	n++
	run_of[pid] = n
	T[n, "exec"] = t
	next
}
ev == "sched:sched_process_exec" && (pid in init_of) { mark(init_of[pid], "cexec"); next }
ev == "sched:sched_process_exit" && (pid in init_of) { mark(init_of[pid], "cexit"); delete init_of[pid]; next }
ev == "sched:sched_process_exit" && (pid in run_of) { mark(run_of[pid], "pexit"); delete run_of[pid]; next }

(pid in run_of) {
	r = run_of[pid]
	if (ev == "raw_syscalls:sys_exit" && nr == 11) mark(r, "ld")
	if (ev == "raw_syscalls:sys_enter" && nr == 83) mark(r, "mkdir")
	if (ev == "raw_syscalls:sys_enter" && nr == 435) mark(r, "clone")
	if (ev == "raw_syscalls:sys_exit" && nr == 435 && ret(rest) > 0) {
		mark(r, "cloned")
		init_of[ret(rest)] = r
	}
	if (ev == "raw_syscalls:sys_enter" && nr == 44 && ((r, "ready") in T)) mark(r, "start")
	next
}

(pid in init_of) {
	r = init_of[pid]
	if (ev == "raw_syscalls:sys_exit" && nr == 435) mark(r, "cfirst")
	if (ev == "raw_syscalls:sys_enter" && nr == 170) mark(r, "host")
	if (ev == "raw_syscalls:sys_exit" && nr == 155) T[r, "pivot"] = t
	if (ev == "raw_syscalls:sys_enter" && nr == 44) mark(r, "ready")
}

function sort(v, k,    i, j, m) {
	for (i = 2; i <= k; i++) {
		m = v[i]
		for (j = i - 1; j >= 1 && v[j] > m; j--)
			v[j + 1] = v[j]
		v[j + 1] = m
	}
}

END {
	printf "%-46s %9s\n", "phase (median of " n " traced runs)", "us"
	for (i = 1; i <= nrow; i++) {
		k = 0; sum = 0
		delete v
		for (r = 1; r <= n; r++)
			if ((r, RA[i]) in T && (r, RB[i]) in T) {
				v[++k] = T[r, RB[i]] - T[r, RA[i]]
				sum += v[k]
			}
		sort(v, k)
		MED[i] = k ? (k % 2 ? v[(k + 1) / 2] : (v[k / 2] + v[k / 2 + 1]) / 2) : -1
		MEAN[i] = k ? sum / k : 0
		CNT[i] = k
		printf "%-46s %9s\n", RN[i], k ? sprintf("%.1f", MED[i]) : "-"
	}
	if (n && (1, "exec") in T && (1, "pexit") in T) {
		k = 0
		delete v
		for (r = 1; r <= n; r++)
			if ((r, "exec") in T && (r, "pexit") in T)
				v[++k] = T[r, "pexit"] - T[r, "exec"]
		sort(v, k)
		printf "%-46s %9.1f\n", "total: exec of hako to its exit", k % 2 ? v[(k + 1) / 2] : (v[k / 2] + v[k / 2 + 1]) / 2
	}

	# Where each phase's time goes: syscalls that started in it (mean per
	# run), and the rest, between syscalls.
	for (s = 1; s <= ns; s++) {
		r = S_run[s]
		for (i = 1; i <= nrow; i++)
			if (S_proc[s] == RP[i] && (r, RA[i]) in T && (r, RB[i]) in T &&
			    S_t[s] >= T[r, RA[i]] && S_t[s] < T[r, RB[i]]) {
				PT[i, S_nr[s]] += S_d[s]
				PC[i, S_nr[s]]++
				PS[i] += S_d[s]
				break
			}
	}
	printf "\nwhere the time goes (mean per run, us; top syscalls of each phase)\n"
	for (i = 1; i <= nrow; i++) {
		if (!CNT[i])
			continue
		printf "%s: %.1f mean\n", RN[i], MEAN[i]
		m = 0
		delete line
		for (key in PT) {
			split(key, part, SUBSEP)
			if (part[1] == i)
				line[++m] = sprintf("%012.1f %s", PT[key] / n, part[2])
		}
		for (a = 1; a <= m; a++)
			for (b = a + 1; b <= m; b++)
				if (line[b] > line[a]) { tmp = line[a]; line[a] = line[b]; line[b] = tmp }
		for (a = 1; a <= m && a <= 4; a++) {
			split(line[a], f, " ")
			printf "    %-22s %5.1f calls %9.1f\n", sysname(f[2]), PC[i, f[2]] / n, f[1] + 0
		}
		printf "    %-22s %5s       %9.1f\n", "between syscalls", "", MEAN[i] - PS[i] / n
	}
}
