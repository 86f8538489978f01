# Sourced by perf/run, perf/faults and perf/load (REPO set): builds perf and what it runs (the enricher jar, the
# launcher, the schemas) from THIS checkout whenever any of their sources is newer than perf's last build, so a run
# never measures stale code.
ensure_perf_built() {
  local stamp="$REPO/perf/target/classpath.txt"
  if [[ ! -f "$stamp" ]] || ! ls "$REPO"/enricher/target/enricher-[0-9]*.jar >/dev/null 2>&1 \
      || [[ -n "$(find "$REPO/pom.xml" "$REPO/enricher/pom.xml" "$REPO/enricher/src/main" "$REPO/ops/launcher/src/main" \
                      "$REPO/schemas/src/main" "$REPO/perf/src/main" "$REPO/perf/pom.xml" -newer "$stamp" -print -quit)" ]]; then
    echo "building perf and the enricher from this checkout ..." >&2
    # package, not install: the classpath points at this checkout's target folders, and a run must not replace the
    # SNAPSHOT jars in ~/.m2 that other checkouts build against.
    (cd "$REPO" && mvn -B -q -pl perf -am package -DskipTests) >&2
    # The dependency plugin leaves classpath.txt alone when the classpath did not change: mark the build done.
    touch "$stamp"
  fi
}
