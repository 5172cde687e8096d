#!/usr/bin/env bash
# Startup-to-ready and resident memory of one packaged Trustplane service, against your own PostgreSQL and Redis.
# For every service on the default JVM, JDK 25 and JDK 25 + AOT cache (medians of 3, idle and under load, embedded
# PostgreSQL/Redis, training included) run `./trustplane bench startup` instead: bench/results/startup.md.
#
#   deploy/scripts/measure-startup.sh JAVA QUARKUS_APP_DIR DATABASE PORT [extra JVM flags...]
#   e.g. deploy/scripts/measure-startup.sh java gate-service/target/quarkus-app trustplane_gate 18083 -Xmx256m
#        deploy/scripts/measure-startup.sh /usr/lib/jvm/temurin-25-jdk-amd64/bin/java gate-service/target/quarkus-app \
#            trustplane_gate 18083 -Xmx256m -XX:AOTCache=gate.aot
#   (train the cache first with -XX:AOTCacheOutput=gate.aot instead of -XX:AOTCache: the JVM writes it at exit)
#
# Env: PG (localhost:5432), REDIS (redis://localhost:6379), JWT_PUBLIC_KEY and LOG_KEY (key files; required).
# The database must exist; Flyway migrates it at start. Prints one line; stops the service it started.
set -euo pipefail
JAVA=$1; APP=$2; DB=$3; PORT=$4; shift 4
PG=${PG:-localhost:5432}; REDIS=${REDIS:-redis://localhost:6379}
: "${JWT_PUBLIC_KEY:?set JWT_PUBLIC_KEY to a PEM public key file}" "${LOG_KEY:?set LOG_KEY to an Ed25519 PKCS#8 PEM file}"
LOG=$(mktemp -t trustplane-measure.XXXXXX.log)

start=$(date +%s%N)
"$JAVA" "$@" -Dquarkus.http.port="$PORT" \
  -Dquarkus.datasource.jdbc.url="jdbc:postgresql://$PG/$DB" -Dquarkus.datasource.reactive.url="postgresql://$PG/$DB" \
  -Dquarkus.redis.hosts="$REDIS" -Dmp.jwt.verify.publickey.location="$JWT_PUBLIC_KEY" -Dtrustplane.log.key-file="$LOG_KEY" \
  -Dquarkus.otel.sdk.disabled="${OTEL_SDK_DISABLED:-true}" \
  -jar "$APP/quarkus-run.jar" >"$LOG" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 1200); do
  curl -sf -o /dev/null "http://localhost:$PORT/q/health/ready" && break
  kill -0 $pid 2>/dev/null || { echo "service exited, see $LOG" >&2; exit 1; }
  sleep 0.05
done
ready=$(date +%s%N)
sleep 3
rss() { awk -v k="$1:" '$1 == k {print int($2 / 1024)}' /proc/$pid/status; }
idle="rss_ready=$(rss VmRSS)MiB anon_ready=$(rss RssAnon)MiB"
for _ in $(seq 1 300); do
  curl -s -o /dev/null "http://localhost:$PORT/q/health/ready"; curl -s -o /dev/null "http://localhost:$PORT/q/metrics"
done
echo "ready_ms=$(( (ready - start) / 1000000 )) $idle rss_after_600=$(rss VmRSS)MiB anon_after_600=$(rss RssAnon)MiB load=$(cut -d' ' -f1 /proc/loadavg) log=$LOG"
kill $pid; wait $pid 2>/dev/null || true
