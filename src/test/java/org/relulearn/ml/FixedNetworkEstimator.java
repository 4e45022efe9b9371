package org.relulearn.ml;

import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.StructType;

/**
 * A test-only estimator on the {@link ReluEstimator} base: "fits" by returning a fixed ReLU gate,
 * so the shared params, copy and persistence of the estimator side can be tested without an algorithm.
 */
public class FixedNetworkEstimator extends ReluEstimator<FixedNetworkEstimator, ReluNetworkModel> {
    private static final long serialVersionUID = 1L;
    static final double[] GATE_W = {0.5, -1.25, 2.0};
    static final double GATE_BIAS = 0.125;

    public FixedNetworkEstimator(String uid) { super(uid); }

    public FixedNetworkEstimator() { this(Identifiable.randomUID("fixedNetwork")); }

    @Override
    public ReluNetworkModel fit(Dataset<?> dataset) {
        transformSchema(dataset.schema(), true);
        ReluNetworkModel model = ReluNetworkModel.gate(GATE_W, GATE_BIAS);
        return copyValues(model, new ParamMap()).setParent(this);
    }

    @Override
    public StructType transformSchema(StructType schema) {
        if (!java.util.Arrays.asList(schema.fieldNames()).contains(getFeaturesCol())) {
            throw new IllegalArgumentException("no column " + getFeaturesCol());
        }
        return schema;
    }

    public static MLReader<FixedNetworkEstimator> read() { return ReluModelReader.paramsOnly(FixedNetworkEstimator.class); }

    public static FixedNetworkEstimator load(String path) { return read().load(path); }
}
