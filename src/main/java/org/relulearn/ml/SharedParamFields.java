package org.relulearn.ml;

import java.io.Serializable;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.util.Identifiable;

/**
 * The {@link ReluParams} param objects of one owner, created with the owner as parent, so that
 * {@link ReluEstimator} and {@link ReluModel} declare them once each instead of field by field.
 */
final class SharedParamFields implements Serializable {
    private static final long serialVersionUID = 1L;

    final LongParam seed;
    final IntParam maxIter;
    final DoubleParam tol;
    final DoubleParam blockSizeMB;
    final IntParam aggregationDepth;
    final Param<String> featuresCol;
    final Param<String> labelCol;
    final Param<String> predictionCol;

    SharedParamFields(Identifiable owner) {
        seed = ReluParams.seedParam(owner);
        maxIter = ReluParams.maxIterParam(owner);
        tol = ReluParams.tolParam(owner);
        blockSizeMB = ReluParams.blockSizeMBParam(owner);
        aggregationDepth = ReluParams.aggregationDepthParam(owner);
        featuresCol = ReluParams.featuresColParam(owner);
        labelCol = ReluParams.labelColParam(owner);
        predictionCol = ReluParams.predictionColParam(owner);
    }
}
