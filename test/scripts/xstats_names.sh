#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# The NIC guide and the driver agree: the xstats names the guide's table
# lists (rx_qN_* once per RX queue) are the port's, in order, as the
# stock dpdk-testpmd shows them; the guide's maximum MTU is the port's
# rte_eth_dev_info.max_mtu (testpmd names it when asked for more).
set -eu
. "$(dirname "$0")/lib.sh"
sanitizer_preload

guide=$(dirname "$0")/../../doc/guides/nics/mvneta_xdp.rst
nq=2
out=$(mktemp)
want=$(mktemp)
got=$(mktemp)
trap 'rm -f "$out" "$want" "$got"' EXIT

# The first column of the table under "Extended statistics".
awk -v nq="$nq" '
	/^Extended statistics$/ { f = 1; next }
	f && /^---/ { if (u++) exit; next }	# its underline, the next one
	f && /^=+ +=+$/ { t++; next }		# table borders: rows after 2
	f && t == 2 && /^``[a-z0-9_N]+``/ {
		n = $1; gsub(/`/, "", n)
		if (n ~ /^rx_qN_/) { q[++nqn] = substr(n, 7); next }
		print n
	}
	END { for (i = 0; i < nq; i++) for (j = 1; j <= nqn; j++)
		printf "rx_q%d_%s\n", i, q[j] }
' "$guide" >"$want"
[ -s "$want" ] || fail "no xstats table in $guide"
mtu=$(sed -n 's/.*MTU up to \([0-9]*\).*/\1/p' "$guide" | head -n 1)
[ -n "$mtu" ] || fail "no \"MTU up to N\" in $guide"

printf '%s\n' "show port xstats 0" "port stop 0" "port config mtu 0 65535" \
	"quit" | testpmd_script |
	timeout 60 stdbuf -oL "$TESTPMD" $(eal_args txst) \
	--vdev net_mvneta_xdp0 \
	-- -i --total-num-mbufs=16384 --rxq=$nq --txq=$nq >"$out" 2>&1 ||
	{ cat "$out"; fail "testpmd exited with an error"; }

# ethdev's basic statistics come first for every port: not the driver's.
awk '
	/NIC extended statistics for port 0/ { f = 1; next }
	f && /^[a-z0-9_]+: [0-9]+$/ { sub(/:.*/, ""); print; next }
	f { exit }
' "$out" | grep -vxE 'rx_good_packets|tx_good_packets|rx_good_bytes|tx_good_bytes|rx_missed_errors|rx_errors|tx_errors|rx_mbuf_allocation_errors' \
	>"$got" || true
[ -s "$got" ] || { cat "$out"; fail "no xstats from testpmd"; }
diff -u "$want" "$got" >&2 ||
	fail "the guide's xstats (-) and the port's (+) differ"

max=$(sed -n 's/.*> device max MTU (\([0-9]*\)).*/\1/p' "$out")
[ -n "$max" ] || { cat "$out"; fail "testpmd did not name the maximum MTU"; }
[ "$max" = "$mtu" ] || fail "the guide says MTU up to $mtu, the port $max"
echo "PASS: $(wc -l <"$got") xstats as the guide lists them, max MTU $max"
