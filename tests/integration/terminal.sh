#!/bin/bash
# terminal.sh - process.terminal with --console-socket: the pty master goes
# to the socket, the slave is stdio, controlling tty and /dev/console.
. "$(dirname "$0")/lib.sh"

sock="$WORK/tty.sock"
b=$(bundle tty -- sh -c 'tty; [ -t 0 ] && echo stdin-is-tty; stty size; ls -l /dev/console | cut -c1; read line; echo got:$line')
cfg "$b" '.process.terminal = true | .process.consoleSize = {"height": 40, "width": 100}'

# bounded: if hako fails before it connects, nothing else ends recvtty
timeout 30 "$RECVTTY" "$sock" $'ping\n' >"$WORK/recv.out" 2>&1 &
recv=$!
for _ in $(seq 50); do [ -S "$sock" ] && break; sleep 0.1; done
ok "run with --console-socket" hk run --console-socket "$sock" --bundle "$b" "$(cid run)"
wait "$recv"
out=$(tr -d '\r' <"$WORK/recv.out")
contains "the master arrives with the pty name" "$out" "recvtty: name=/dev/pts/0"
contains "stdin is the terminal" "$out" "stdin-is-tty"
contains "tty names the container's pty" "$out" $'\n/dev/pts/0'
contains "consoleSize is applied" "$out" "40 100"
contains "/dev/console is the pty (a character device)" "$out" $'\nc'
contains "input typed on the master reaches the process" "$out" "got:ping"

# ---- hako run in the foreground: hako itself is the terminal's other end ----------------
b3=$(bundle fg -- sh)
cfg "$b3" '.process.terminal = true'
printf 'tty; echo in-container $((6*7)); exit 3\n' | hk run --bundle "$b3" "$(cid fg)" >"$WORK/fg.out" 2>&1
rc=$?
out=$(tr -d '\r' <"$WORK/fg.out")
is "run with a terminal and no --console-socket: the exit status" "$rc" 3
contains "...the shell runs on the container's pty" "$out" $'\n/dev/pts/0'
contains "...input from a pipe reaches it" "$out" "in-container 42"

if command -v script >/dev/null; then
	# a real terminal for hako (script(1) gives it one): raw mode, the
	# caller's window size, and the caller's settings back afterwards
	out=$( (sleep 1; printf 'stty size; exit 5\r'; sleep 2) |
		timeout 20 script -qec "stty rows 33 cols 77; \"$HAKO\" --root \"$HAKO_TEST_ROOT\" run --bundle \"$b3\" $(cid fgtty); echo hako-rc=\$?; stty -a | head -1" /dev/null |
		tr -d '\r')
	contains "with a terminal on stdin: its window size reaches the container" "$out" "33 77"
	contains "...the exit status" "$out" "hako-rc=5"
	contains "...and the caller's terminal is given back as it was" "$out" "rows 33; columns 77"
	b4=$(bundle fgtrue -- true)
	cfg "$b4" '.process.terminal = true'
	contains "...cooked again (echo on)" \
		"$(timeout 10 script -qec "\"$HAKO\" --root \"$HAKO_TEST_ROOT\" run --bundle \"$b4\" $(cid fgtty2); stty -a" /dev/null </dev/null)" " echo "
else
	skip "a real terminal for hako" "script(1) (util-linux) is not installed"
fi

b2=$(bundle notty -- true)
cfg "$b2" '.process.terminal = true'
fails_with "create with a terminal and no --console-socket is refused before anything starts" \
	"no --console-socket was given" hk create --bundle "$b2" "$(cid nosock)"
fails_with "a console socket nobody listens on is an error" \
	"cannot connect to --console-socket" \
	hk create --console-socket "$WORK/nobody.sock" --bundle "$b2" "$(cid badsock)"

done_testing
