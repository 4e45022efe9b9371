package org.relulearn.spark;

import org.apache.spark.api.java.JavaRDD;
import org.relulearn.data.Block;
import org.relulearn.engine.Data;

/** Blocks held by Spark (read from files or cached synthetic blocks), usually persisted. */
public record SparkBlockData(JavaRDD<Block> blocks, int d, int m, long numRows, String describe) implements Data {
}
