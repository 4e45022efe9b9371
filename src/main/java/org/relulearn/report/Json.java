package org.relulearn.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** JSON via the Jackson that Spark ships: pretty, deterministic key order (maps keep insertion order). */
public final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private Json() {}

    public static ObjectMapper mapper() { return MAPPER; }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise to JSON: " + e.getMessage(), e);
        }
    }

    public static void write(Path file, Object value) {
        try {
            Files.writeString(file, write(value) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> readMap(Path file) {
        try {
            return MAPPER.readValue(file.toFile(), Map.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read JSON " + file + ": " + e.getMessage(), e);
        }
    }
}
