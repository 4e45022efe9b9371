package org.relulearn.ml;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.relulearn.data.Block;
import org.relulearn.data.OneHiddenLayerNetwork;

/**
 * A one-hidden-layer ReLU network as a Spark ML model:
 *
 * <pre>
 *   y = A relu(W x + b),   W: k x d,  b: k,  A: m x k,  relu(t) = max(t, 0) entrywise
 * </pre>
 *
 * <p>Every relulearn training algorithm returns this model; a single ReLU gate relu(w.x + b) is the
 * case k = 1, m = 1, A = [1] ({@link #gate}). {@code transform} appends {@code predictionCol}: a double
 * when m = 1, else a vector of length m. Rows are stacked into blocks of at most
 * {@code blockSizeMB} and each block is two gemm calls (the kernel of {@link OneHiddenLayerNetwork}),
 * so prediction runs at BLAS speed and nothing leaves the executors. A null feature vector gives a
 * null prediction; a vector of the wrong size is an error.
 *
 * <p>Saved {@code data/} arrays: {@code W} [k, d], {@code b} [k], {@code A} [m, k], row-major.
 */
public final class ReluNetworkModel extends ReluModel<ReluNetworkModel> {
    private static final long serialVersionUID = 1L;

    /** Rows stacked per block at most: gemm gains little beyond this, while held rows cost memory. */
    static final int MAX_ROWS_PER_BLOCK = 4096;

    private final OneHiddenLayerNetwork network;

    /**
     * @param w k x d hidden-unit weights, row-major (row j is unit j's weight vector)
     * @param b k biases, or null for none (all zero)
     * @param a m x k output weights, row-major
     */
    public ReluNetworkModel(String uid, int d, int k, int m, double[] w, double[] b, double[] a) {
        this(uid, new OneHiddenLayerNetwork(d, k, m, w, b, a));
    }

    /** As {@link #ReluNetworkModel(String, int, int, int, double[], double[], double[])} with a fresh uid. */
    public ReluNetworkModel(int d, int k, int m, double[] w, double[] b, double[] a) {
        this(Identifiable.randomUID("reluNetwork"), d, k, m, w, b, a);
    }

    private ReluNetworkModel(String uid, OneHiddenLayerNetwork network) {
        super(uid);
        this.network = network;
    }

    /** The single ReLU gate x -> relu(w.x + bias), with d = w.length. */
    public static ReluNetworkModel gate(double[] w, double bias) {
        return new ReluNetworkModel(w.length, 1, 1, w, new double[] {bias}, new double[] {1.0});
    }

    /** The network of a pure-Java {@link OneHiddenLayerNetwork} (e.g. a synthetic teacher) as a model. */
    public static ReluNetworkModel of(OneHiddenLayerNetwork network) {
        return new ReluNetworkModel(Identifiable.randomUID("reluNetwork"), network);
    }

    /** The pure-Java network (for evaluation code that works on blocks). */
    public OneHiddenLayerNetwork toNetwork() { return network; }

    /** d. */
    public int inputDim() { return network.inputDim(); }
    /** k. */
    public int hiddenUnits() { return network.hiddenUnits(); }
    /** m. */
    public int outputDim() { return network.outputDim(); }
    /** A copy of W, k x d row-major. */
    public double[] weights() { return network.weights(); }
    /** A copy of b (length k). */
    public double[] biases() { return network.biases(); }
    /** A copy of A, m x k row-major. */
    public double[] outputWeights() { return network.outputWeights(); }

    /** A relu(W x + b) for one feature vector (length m); for single rows on the driver, not for data sets. */
    public double[] predict(Vector features) {
        int d = inputDim();
        if (features.size() != d) throw new IllegalArgumentException(Schemas.sizeMismatch(getFeaturesCol(), features.size(), d));
        Block block = new Block(d, outputDim(), 1);
        block.reset(1, 0);
        fillRow(features, block.x(), 0, d);
        network.label(block, new double[network.scratchSize(1)]);
        return Arrays.copyOf(block.y(), outputDim());
    }

    @Override
    public ModelArrays modelArrays() {
        int d = inputDim();
        int k = hiddenUnits();
        int m = outputDim();
        return new ModelArrays()
                .put("W", network.weights(), k, d)
                .put("b", network.biases(), k)
                .put("A", network.outputWeights(), m, k);
    }

    /** Rebuilds a model from saved arrays W [k, d], b [k], A [m, k]. */
    public static ReluNetworkModel fromArrays(String uid, ModelArrays arrays) {
        int[] wShape = arrays.shape("W");
        int[] aShape = arrays.shape("A");
        if (wShape.length != 2 || aShape.length != 2) {
            throw new IllegalArgumentException("W and A must be matrices, got shapes " + Arrays.toString(wShape)
                    + " and " + Arrays.toString(aShape));
        }
        int k = wShape[0];
        int d = wShape[1];
        int m = aShape[0];
        return new ReluNetworkModel(uid, d, k, m, arrays.values("W", k, d), arrays.values("b", k), arrays.values("A", m, k));
    }

    /** The reader Spark (PipelineModel) and {@link #load} use. */
    public static MLReader<ReluNetworkModel> read() {
        return ReluModelReader.forModel(ReluNetworkModel.class, ReluNetworkModel::fromArrays);
    }

    /** Loads a model saved by {@code write().save(path)}. */
    public static ReluNetworkModel load(String path) {
        return read().load(path);
    }

    @Override
    public ReluNetworkModel copy(ParamMap extra) {
        return copyValues(new ReluNetworkModel(uid(), network), extra).setParent(parent());
    }

    @Override
    public StructType transformSchema(StructType schema) {
        String predictionCol = getPredictionCol();
        Schemas.requireVectorColumn(schema, getFeaturesCol(), "featuresCol", inputDim());
        Schemas.requireAbsent(schema, predictionCol, "predictionCol");
        StructField prediction = outputDim() == 1
                ? DataTypes.createStructField(predictionCol, DataTypes.DoubleType, true)
                : DataTypes.createStructField(predictionCol, SQLDataTypes.VectorType(), true,
                        new AttributeGroup(predictionCol, outputDim()).toMetadata());
        return schema.add(prediction);
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType out = transformSchema(dataset.schema(), true);
        int featuresIndex = dataset.schema().fieldIndex(getFeaturesCol());
        long rowBytes = 8L * (inputDim() + hiddenUnits() + outputDim());
        int rowsPerBlock = (int) Math.max(1, Math.min(MAX_ROWS_PER_BLOCK, blockSizeBytes() / rowBytes));
        BlockPredictor predictor = new BlockPredictor(network, featuresIndex, getFeaturesCol(), rowsPerBlock);
        Dataset<Row> predicted = dataset.toDF().mapPartitions(predictor, Encoders.row(out));
        // The row encoder drops column metadata; put back the declared vector size (and any input metadata).
        for (StructField f : out.fields()) {
            if (f.metadata().json().length() > 2) predicted = predicted.withMetadata(f.name(), f.metadata());
        }
        return predicted;
    }

    @Override
    public String toString() {
        return "ReluNetworkModel: uid=" + uid() + ", d=" + inputDim() + ", k=" + hiddenUnits() + ", m=" + outputDim();
    }

    /** Copies one feature vector (dense or sparse) into x[offset, offset + d). */
    static void fillRow(Vector v, double[] x, int offset, int d) {
        if (v instanceof DenseVector dv) {
            System.arraycopy(dv.values(), 0, x, offset, d);
        } else if (v instanceof SparseVector sv) {
            Arrays.fill(x, offset, offset + d, 0.0);
            int[] idx = sv.indices();
            double[] val = sv.values();
            for (int i = 0; i < idx.length; i++) x[offset + idx[i]] = val[i];
        } else {
            for (int j = 0; j < d; j++) x[offset + j] = v.apply(j);
        }
    }

    /**
     * The executor side of {@code transform}: stacks up to {@code rowsPerBlock} rows into a
     * {@link Block}, predicts the block with two gemm calls, and emits each input row with its
     * prediction appended. Holds the network, never the model.
     */
    static final class BlockPredictor implements MapPartitionsFunction<Row, Row>, Serializable {
        private static final long serialVersionUID = 1L;
        private final OneHiddenLayerNetwork network;
        private final int featuresIndex;
        private final String featuresCol;
        private final int rowsPerBlock;

        BlockPredictor(OneHiddenLayerNetwork network, int featuresIndex, String featuresCol, int rowsPerBlock) {
            this.network = network;
            this.featuresIndex = featuresIndex;
            this.featuresCol = featuresCol;
            this.rowsPerBlock = rowsPerBlock;
        }

        @Override
        public Iterator<Row> call(Iterator<Row> input) {
            return new Iterator<>() {
                // One set of buffers per partition, reused for every block.
                private final int d = network.inputDim();
                private final int m = network.outputDim();
                private final Block block = new Block(d, m, rowsPerBlock);
                private final double[] scratch = new double[network.scratchSize(rowsPerBlock)];
                private final Row[] rows = new Row[rowsPerBlock];
                private final boolean[] missing = new boolean[rowsPerBlock];
                private int count;
                private int next;

                @Override
                public boolean hasNext() {
                    if (next < count) return true;
                    if (!input.hasNext()) return false;
                    predictNextBlock();
                    return next < count;
                }

                @Override
                public Row next() {
                    if (!hasNext()) throw new NoSuchElementException();
                    int r = next++;
                    Row row = rows[r];
                    rows[r] = null;
                    int width = row.size();
                    Object[] values = new Object[width + 1];
                    for (int i = 0; i < width; i++) values[i] = row.get(i);
                    if (!missing[r]) {
                        double[] y = block.y();
                        values[width] = m == 1 ? (Object) y[r] : Vectors.dense(Arrays.copyOfRange(y, r * m, r * m + m));
                    }
                    return RowFactory.create(values);
                }

                private void predictNextBlock() {
                    count = 0;
                    next = 0;
                    double[] x = block.x();
                    while (count < rowsPerBlock && input.hasNext()) {
                        Row row = input.next();
                        Vector v = row.isNullAt(featuresIndex) ? null : (Vector) row.get(featuresIndex);
                        missing[count] = v == null;
                        if (v == null) {
                            Arrays.fill(x, count * d, count * d + d, 0.0);
                        } else {
                            if (v.size() != d) throw new IllegalArgumentException(Schemas.sizeMismatch(featuresCol, v.size(), d));
                            fillRow(v, x, count * d, d);
                        }
                        rows[count++] = row;
                    }
                    block.reset(count, 0);
                    network.label(block, scratch);
                }
            };
        }
    }
}
