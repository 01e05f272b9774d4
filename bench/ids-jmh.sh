#!/usr/bin/env bash
# JMH on the id generator, both layouts, 1 and 2 threads, real clock, no borrowing (a fresh tick's sequence only).
# Prints issued ids/s per case and its ratio to the layout's ceiling (nocobase 65,536/s, snowflake 4,096,000/s
# per worker). Knobs: JMH_ARGS (default "-f 1 -wi 2 -w 2s -i 3 -r 3s").
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
mvn -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test >/dev/null
CP=target/classes:target/test-classes:$(cat target/cp.txt)
for threads in 1 2; do
  java -cp "$CP" org.openjdk.jmh.Main IdGeneratorBench -t "$threads" ${JMH_ARGS:--f 1 -wi 2 -w 2s -i 3 -r 3s} \
    -rf csv -rff "target/jmh-ids-$threads.csv" >"target/jmh-ids-$threads.log"
  awk -F, -v t="$threads" 'NR > 1 && $1 ~ /issued/ {
      gsub(/["\r]/, "", $8); ceiling = ($8 == "NOCOBASE") ? 65536 : 4096000
      printf "layout=%s threads=%s issued=%.0f ids/s error=%.0f ratio_to_ceiling=%.3f\n", $8, t, $5, $6, $5 / ceiling
    }' "target/jmh-ids-$threads.csv"
done
