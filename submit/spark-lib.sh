# Shared by submit/start-cluster, stop-cluster and submit-*: sourced, not run.
# Builds (once) a minimal SPARK_HOME from the Maven-resolved Spark jars -- no Spark distribution
# needed -- and defines where a local cluster keeps its state.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
APP_JAR="$ROOT/target/relulearn.jar"
CP_FILE="$ROOT/target/classpath.txt"
# A local cluster's state (PIDs, logs, master URL, secret): outside every run output directory.
DEFAULT_CLUSTER_DIR="${RELULEARN_CLUSTER_DIR:-$ROOT/target/cluster}"

die() { echo "error: $*" >&2; exit 2; }

# Builds target/relulearn.jar and target/classpath.txt when missing or older than the sources.
ensure_build() {
  if [ -f "$APP_JAR" ] && [ -f "$CP_FILE" ] \
     && [ -z "$(find "$ROOT/src/main" "$ROOT/pom.xml" -newer "$APP_JAR" -type f 2>/dev/null | head -n 1)" ]; then
    return 0
  fi
  [ "${RELULEARN_NO_BUILD:-}" = 1 ] && die "$APP_JAR is missing or stale and RELULEARN_NO_BUILD=1: run 'mvn -DskipTests package' first"
  echo "relulearn: building the application jar..." >&2
  (cd "$ROOT" && mvn -B -q -Dstyle.color=never -DskipTests package) >&2 || die "the build failed (see above)"
}

# SPARK_HOME for local clusters: $RELULEARN_SPARK_HOME if set (a real distribution works too),
# else target/spark-dist with jars/ linked to the Maven-resolved Spark jars and a bin/spark-class
# that asks Spark's own launcher (org.apache.spark.launcher.Main) for the java command line.
ensure_spark_home() {
  if [ -n "${RELULEARN_SPARK_HOME:-}" ]; then
    SPARK_HOME="$RELULEARN_SPARK_HOME"
    [ -x "$SPARK_HOME/bin/spark-submit" ] || die "RELULEARN_SPARK_HOME=$SPARK_HOME has no bin/spark-submit: point it at a Spark $(spark_version) distribution or unset it"
    export SPARK_HOME
    return 0
  fi
  ensure_build
  SPARK_HOME="$ROOT/target/spark-dist"
  if [ ! -f "$SPARK_HOME/.complete" ] || [ "$CP_FILE" -nt "$SPARK_HOME/.complete" ]; then
    rm -rf "$SPARK_HOME"
    mkdir -p "$SPARK_HOME/jars" "$SPARK_HOME/bin" "$SPARK_HOME/conf"
    local jar
    # (the file has no final newline: "|| [ -n ]" keeps its last entry)
    tr ':' '\n' < "$CP_FILE" | while IFS= read -r jar || [ -n "$jar" ]; do
      [ -n "$jar" ] && ln -s "$jar" "$SPARK_HOME/jars/$(basename "$jar")"
    done
    cp "$ROOT/conf/log4j2-cluster.properties" "$SPARK_HOME/conf/log4j2.properties"
    write_spark_class "$SPARK_HOME/bin/spark-class"
    printf '#!/usr/bin/env bash\nexec "$(dirname "$0")/spark-class" org.apache.spark.deploy.SparkSubmit "$@"\n' > "$SPARK_HOME/bin/spark-submit"
    chmod +x "$SPARK_HOME/bin/spark-class" "$SPARK_HOME/bin/spark-submit"
    touch "$SPARK_HOME/.complete"
  fi
  export SPARK_HOME
  export SPARK_SCALA_VERSION="${SPARK_SCALA_VERSION:-2.13}"   # executors' launch check needs it
}

# bin/spark-class: Spark's launcher prints the java command as NUL-separated words after a "\0\n"
# marker and its own exit code last; run that command in place of this script (same PID).
write_spark_class() {
  cat > "$1" <<'SH'
#!/usr/bin/env bash
export SPARK_HOME="${SPARK_HOME:-$(cd "$(dirname "$0")/.." && pwd)}"
export SPARK_SCALA_VERSION="${SPARK_SCALA_VERSION:-2.13}"
JAVA="java"; [ -n "${JAVA_HOME:-}" ] && JAVA="$JAVA_HOME/bin/java"
launcher() { "$JAVA" -Xmx128m -cp "$SPARK_HOME/jars/*" org.apache.spark.launcher.Main "$@"; printf '%d\0' $?; }
WORDS=(); SEP=$'\n'; IN_CMD=false
while IFS= read -d "$SEP" -r WORD; do
  if $IN_CMD; then WORDS+=("$WORD")
  elif [ -z "$WORD" ]; then SEP=''; IN_CMD=true
  else echo "$WORD"; fi
done < <(launcher "$@")
N=${#WORDS[@]}; [ "$N" -ge 1 ] || exit 1
[ "${WORDS[$((N - 1))]}" = 0 ] || exit "${WORDS[$((N - 1))]}"
exec "${WORDS[@]:0:$((N - 1))}"
SH
}

spark_version() { sed -n 's:.*<spark.version>\(.*\)</spark.version>.*:\1:p' "$ROOT/pom.xml" | head -n 1; }

# True when PID is alive and is a JVM of the given cluster directory (guards against PID reuse).
is_cluster_process() {
  local pid="$1" dir="$2"
  [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' < "/proc/$pid/cmdline" | grep -q -- "$dir"
}
