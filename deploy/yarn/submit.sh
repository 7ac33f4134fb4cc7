#!/usr/bin/env bash
# Submits the scoring job to YARN in cluster mode with your Spark 4.2 distribution's spark-submit. YARN copies the
# files given with --files into each container's working directory, so the job reads its configuration and the
# password file there (conf/fraudwatch.properties must name jdbc.password-file=job.password).
#   SPARK_HOME=/opt/spark HADOOP_CONF_DIR=/etc/hadoop/conf yarn/submit.sh conf/fraudwatch.properties conf/job.password
set -euo pipefail
: "${SPARK_HOME:?set SPARK_HOME to a Spark 4.2 distribution}"
: "${HADOOP_CONF_DIR:?set HADOOP_CONF_DIR to the Hadoop configuration of the cluster}"
[ $# -eq 2 ] || { echo "usage: yarn/submit.sh CONFIG_FILE PASSWORD_FILE" >&2; exit 2; }
release=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
job=$(ls "$release"/jobs/fraudwatch-job-*.jar | head -n 1)
exec "$SPARK_HOME/bin/spark-submit" \
  --properties-file "$release/yarn/spark-defaults.conf" \
  --class io.fraudwatch.scoring.job.ScoringJobMain \
  --files "$1#fraudwatch.properties,$2#job.password" \
  "$job" --config fraudwatch.properties
