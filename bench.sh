#!/usr/bin/env bash
# Runs the benchmarks and writes results under bench/results/ (JSON + Markdown, PNG charts).
# Usage: ./bench.sh [micro | idle | fanout | chat | writes | reads | churn | attacks | streams | cluster | gateway | happn | all] [--small] [--no-peers]
#   micro      JMH micro benchmarks (pattern index, SQLite group commit)
#   idle ...   whole-system load scenarios against server/target/switchboard.jar, with peers
#              (happn-3, deepstream, socket.io from bench/peers, nats-server from the machine)
#   --small    about a tenth of the connections and shorter steps (a quick check that all works)
#   --no-peers Switchboard only
# JAVA_HOME picks the JVM (recorded in the results); SB_TARGET the Maven build folder (default
# target); SB_SERVER_JVM_OPTS the server's JVM flags (default -Xms512m -Xmx4g -XX:+UseG1GC).
set -euo pipefail
cd "$(dirname "$0")"
scenario="${1:-micro}"
shift || true
target="${SB_TARGET:-target}"
if [ "$scenario" = micro ]; then
  mvn -q -B -Dsb.target="$target" -DskipTests -pl bench -am package
else
  mvn -q -B -Dsb.target="$target" -DskipTests -pl server,bench -am package
fi
java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
out=bench/results
mkdir -p "$out"
case "$scenario" in
  micro)
    "$java_bin" -jar "bench/$target/benchmarks.jar" PatternIndexBench -rf json -rff "$out/index-$stamp.json"
    "$java_bin" -jar "bench/$target/benchmarks.jar" SqliteSetBench -t 1 -rf json -rff "$out/sets-t1-$stamp.json"
    "$java_bin" -jar "bench/$target/benchmarks.jar" SqliteSetBench -t 16 -rf json -rff "$out/sets-t16-$stamp.json"
    {
      echo "# Micro benchmarks $stamp"
      echo
      echo "JVM: $("$java_bin" -version 2>&1 | head -1); cores: $(nproc)"
      echo
      echo "| benchmark | params | threads | score | unit |"
      echo "|---|---|---|---|---|"
      for f in "$out"/index-$stamp.json "$out"/sets-t1-$stamp.json "$out"/sets-t16-$stamp.json; do
        python3 - "$f" <<'PY'
import json, sys
for r in json.load(open(sys.argv[1])):
    p = ",".join(f"{k}={v}" for k, v in (r.get("params") or {}).items())
    m = r["primaryMetric"]
    print(f"| {r['benchmark'].split('.')[-2]}.{r['benchmark'].split('.')[-1]} | {p} | {r['threads']} | {m['score']:.1f} ± {m['scoreError']:.1f} | {m['scoreUnit']} |")
PY
      done
    } > "$out/micro-$stamp.md"
    cat "$out/micro-$stamp.md"
    ;;
  idle|fanout|chat|writes|reads|churn|attacks|streams|cluster|gateway|happn|all|summary)
    peers=1
    for a in "$@"; do [ "$a" = --no-peers ] && peers=0; done
    if [ "$peers" = 1 ] && [ "$scenario" != summary ] && [ ! -d bench/peers/node_modules ]; then
      (cd bench/peers && npm ci --no-audit --no-fund) || echo "bench.sh: npm peers not installed; running without Node peers" >&2
    fi
    "$java_bin" -Xmx512m -cp "bench/$target/benchmarks.jar" io.switchboard.bench.load.LoadBench "$scenario" \
      --out "$out" --server-jar "server/$target/switchboard.jar" --peers-dir bench/peers "$@"
    ;;
  *) echo "unknown scenario: $scenario (known: micro idle fanout chat writes reads churn attacks streams cluster gateway happn all summary)" >&2; exit 2 ;;
esac
