package org.relulearn.ml;

import java.util.Arrays;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Input-column checks shared by relulearn's {@code transformSchema} implementations; each failure
 * names the column, what was found and the fix.
 */
public final class Schemas {
    private Schemas() {}

    /** The field {@code column}, which must exist; {@code param} is the param that names it. */
    public static StructField require(StructType schema, String column, String param) {
        if (!Arrays.asList(schema.fieldNames()).contains(column)) {
            throw new IllegalArgumentException(param + " column '" + column + "' not found (columns: "
                    + String.join(", ", schema.fieldNames()) + "); set " + param + " to an existing column");
        }
        return schema.apply(column);
    }

    /**
     * Checks that {@code column} holds ML vectors and, when its metadata declares a size, that the
     * size is {@code expectedSize} (pass -1 to accept any size). Returns the declared size or -1.
     */
    public static int requireVectorColumn(StructType schema, String column, String param, int expectedSize) {
        StructField field = require(schema, column, param);
        if (!field.dataType().equals(SQLDataTypes.VectorType())) {
            throw new IllegalArgumentException(param + " column '" + column + "' has type " + field.dataType().simpleString()
                    + ", expected vectors (Vector); assemble the features with VectorAssembler");
        }
        int declared = AttributeGroup.fromStructField(field).size();
        if (expectedSize >= 0 && declared >= 0 && declared != expectedSize) {
            throw new IllegalArgumentException(sizeMismatch(column, declared, expectedSize));
        }
        return declared;
    }

    /** Checks that a label column holds numbers (one output) or vectors (several outputs). */
    public static void requireLabelColumn(StructType schema, String column, String param) {
        DataType type = require(schema, column, param).dataType();
        if (!(type instanceof NumericType) && !type.equals(SQLDataTypes.VectorType())) {
            throw new IllegalArgumentException(param + " column '" + column + "' has type " + type.simpleString()
                    + ", expected a number (one output) or a vector (several outputs); cast or assemble the labels");
        }
    }

    /** Fails if {@code column} already exists (an output column must be new). */
    public static void requireAbsent(StructType schema, String column, String param) {
        if (Arrays.asList(schema.fieldNames()).contains(column)) {
            throw new IllegalArgumentException("output column '" + column + "' already exists; set " + param + " to a new name");
        }
    }

    /** The message for feature vectors of the wrong size. */
    public static String sizeMismatch(String column, int size, int expected) {
        return "features column '" + column + "' holds vectors of size " + size + " but the model has d = " + expected
                + " inputs; use data with the features the model was trained on";
    }
}
