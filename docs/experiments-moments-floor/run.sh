#!/bin/bash
# usage: run.sh law N seeds threads [teacher] > file
cd /tmp/mfloor
CP=".:/work/wt-moments/target/classes:$(cat /work/wt-moments/target/classpath.txt)"
export OPENBLAS_NUM_THREADS=1
exec nice -n 10 java -Xmx2g --add-modules=jdk.incubator.vector -cp "$CP" FloorDriver fit "$@" 2>/dev/null
