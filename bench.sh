#!/usr/bin/env bash
# Runs the benchmarks and writes results under bench/results/ (JSON from JMH plus a Markdown
# summary). Usage: ./bench.sh [micro]   — JAVA_HOME picks the JVM (recorded in the results).
set -euo pipefail
cd "$(dirname "$0")"
scenario="${1:-micro}"
mvn -q -B -DskipTests -pl bench -am package
java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
out=bench/results
mkdir -p "$out"
case "$scenario" in
  micro)
    "$java_bin" -jar bench/target/benchmarks.jar PatternIndexBench -rf json -rff "$out/index-$stamp.json"
    "$java_bin" -jar bench/target/benchmarks.jar SqliteSetBench -t 1 -rf json -rff "$out/sets-t1-$stamp.json"
    "$java_bin" -jar bench/target/benchmarks.jar SqliteSetBench -t 16 -rf json -rff "$out/sets-t16-$stamp.json"
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
  *) echo "unknown scenario: $scenario (known: micro)" >&2; exit 2 ;;
esac
