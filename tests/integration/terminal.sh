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

b2=$(bundle notty -- true)
cfg "$b2" '.process.terminal = true'
fails_with "terminal without --console-socket is refused before anything starts" \
	"no --console-socket was given" hk create --bundle "$b2" "$(cid nosock)"
fails_with "a console socket nobody listens on is an error" \
	"cannot connect to --console-socket" \
	hk create --console-socket "$WORK/nobody.sock" --bundle "$b2" "$(cid badsock)"

done_testing
