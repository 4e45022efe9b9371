package org.relulearn.ml;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.Option;

/**
 * The {@code metadata/} part of a saved stage: one line of JSON in a text file, in the layout of
 * Spark's DefaultParamsWriter so Spark tools (PipelineModel, DefaultParamsReader) can read it too:
 *
 * <pre>
 * {"class": ..., "timestamp": ..., "sparkVersion": ..., "uid": ..., "paramMap": {...},
 *  "defaultParamMap": {...}, "relulearnFormat": 1, "relulearnVersion": ...}
 * </pre>
 *
 * <p>paramMap holds the explicitly set params, defaultParamMap the defaults at save time, each
 * value encoded by its param's {@code jsonEncode}. Loading restores both, so a model keeps its
 * behaviour if a later version changes a default. {@code relulearnFormat} versions the stored
 * layout (model data and metadata) independently of Spark's version.
 *
 * @param json the whole metadata object, for fields a particular model adds
 */
public record ModelMetadata(String className, String uid, long timestamp, String sparkVersion, int format,
                            String relulearnVersion, JsonNode paramMap, JsonNode defaultParamMap, JsonNode json) {

    /** The layout this code writes and the newest it reads. */
    public static final int FORMAT = 1;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** The metadata of {@code instance} as one line of JSON. */
    public static String toJson(Params instance, String sparkVersion) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("class", instance.getClass().getName());
        root.put("timestamp", System.currentTimeMillis());
        root.put("sparkVersion", sparkVersion);
        root.put("uid", instance.uid());
        ObjectNode set = root.putObject("paramMap");
        ObjectNode defaults = root.putObject("defaultParamMap");
        for (Param<?> p : instance.params()) {
            Option<?> value = instance.get(p);
            if (value.isDefined()) set.set(p.name(), parse(encode(p, value.get())));
            Option<?> def = instance.getDefault(p);
            if (def.isDefined()) defaults.set(p.name(), parse(encode(p, def.get())));
        }
        root.put("relulearnFormat", FORMAT);
        String version = ModelMetadata.class.getPackage().getImplementationVersion();
        root.put("relulearnVersion", version == null ? "dev" : version);
        return root.toString();
    }

    /** Writes {@code json} as the single line of {@code <path>/metadata}, through Spark (any Hadoop file system). */
    public static void save(SparkSession spark, String path, String json) {
        StructType schema = new StructType().add("value", DataTypes.StringType, false);
        spark.createDataFrame(List.of(RowFactory.create(json)), schema)
                .coalesce(1).write().text(new Path(path, "metadata").toString());
    }

    /** Reads {@code <path>/metadata} and checks that it is relulearn metadata of a layout this code reads. */
    public static ModelMetadata load(SparkSession spark, String path) {
        String dir = new Path(path, "metadata").toString();
        List<Row> lines;
        try {
            lines = spark.read().text(dir).limit(2).collectAsList();
        } catch (Exception e) {
            throw new IllegalArgumentException("cannot read model metadata at " + dir + " (" + e.getMessage()
                    + "); check that " + path + " is a directory written by a relulearn model's save()", e);
        }
        if (lines.size() != 1) {
            throw new IllegalArgumentException("model metadata at " + dir + " must hold exactly one line, found "
                    + (lines.isEmpty() ? "none" : "several") + "; save the model again");
        }
        return parse(dir, lines.get(0).getString(0));
    }

    /** Parses one metadata line; {@code source} names it in error messages. */
    public static ModelMetadata parse(String source, String line) {
        JsonNode root;
        try {
            root = MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("model metadata at " + source + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) throw new IllegalArgumentException("model metadata at " + source + " is not a JSON object");
        for (String field : new String[] {"class", "uid", "paramMap"}) {
            if (!root.hasNonNull(field)) {
                throw new IllegalArgumentException("model metadata at " + source + " has no '" + field + "' field; it was not written by a Spark ML writer");
            }
        }
        if (!root.hasNonNull("relulearnFormat")) {
            throw new IllegalArgumentException("model metadata at " + source + " (class " + root.get("class").asText()
                    + ") has no 'relulearnFormat' field: it was not saved by relulearn; load it with that class's own reader");
        }
        int format = root.get("relulearnFormat").asInt();
        if (format < 1 || format > FORMAT) {
            throw new IllegalArgumentException("model at " + source + " has relulearn format " + format
                    + " but this relulearn reads formats 1.." + FORMAT + "; load it with the relulearn version that saved it ("
                    + root.path("relulearnVersion").asText("unknown") + ") or newer");
        }
        return new ModelMetadata(root.get("class").asText(), root.get("uid").asText(), root.path("timestamp").asLong(0),
                root.path("sparkVersion").asText(""), format, root.path("relulearnVersion").asText(""),
                root.get("paramMap"), root.path("defaultParamMap"), root);
    }

    /** Fails unless the saved class is {@code expected}. */
    public ModelMetadata requireClass(Class<?> expected, String path) {
        if (!className.equals(expected.getName())) {
            throw new IllegalArgumentException(path + " holds a saved " + className + ", not a " + expected.getName()
                    + "; load it with " + simpleName(className) + ".load(path)");
        }
        return this;
    }

    /**
     * Sets the saved defaults and then the saved explicit params on {@code instance} (each value is
     * validated again). A saved param that {@code instance} does not have is an error: the model was
     * saved by a different version of its class.
     */
    public void applyParams(Params instance, String path) {
        apply(instance, defaultParamMap, true, path);
        apply(instance, paramMap, false, path);
    }

    private static void apply(Params instance, JsonNode params, boolean asDefault, String path) {
        if (params == null || params.isMissingNode() || params.isNull()) return;
        if (!params.isObject()) throw new IllegalArgumentException("model metadata at " + path + ": params must be a JSON object");
        for (Map.Entry<String, JsonNode> e : params.properties()) {
            String name = e.getKey();
            if (!instance.hasParam(name)) {
                throw new IllegalArgumentException("model at " + path + " sets param '" + name + "' that "
                        + instance.getClass().getSimpleName() + " does not have; it was saved by another version of that class");
            }
            Param<Object> p = instance.getParam(name);
            Object value;
            try {
                value = p.jsonDecode(e.getValue().toString());
            } catch (RuntimeException ex) {
                throw new IllegalArgumentException("model at " + path + ": cannot decode param " + name + " = "
                        + e.getValue() + " (" + ex.getMessage() + ")", ex);
            }
            try {
                if (asDefault) instance.setDefault(p, value);
                else instance.set(p, value);
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException("model at " + path + ": " + ex.getMessage(), ex);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> String encode(Param<T> p, Object value) {
        return p.jsonEncode((T) value);
    }

    private static JsonNode parse(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("param encoded to invalid JSON: " + json, e);
        }
    }

    private static String simpleName(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }
}
