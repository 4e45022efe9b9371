package org.relulearn.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small table of experiment results: named columns, rows of numbers, strings or booleans. It is
 * written as one CSV file (RFC 4180 quoting) here and as Parquet through Spark by the caller
 * ({@code spark.ExperimentTables}); rows stay on the driver because they are results, not data.
 */
public final class ResultTable {
    private final String name;
    private final List<String> columns;
    private final List<Object[]> rows = new ArrayList<>();

    public ResultTable(String name, String... columns) {
        this.name = name;
        this.columns = List.of(columns);
    }

    public String name() { return name; }
    public List<String> columns() { return columns; }
    public List<Object[]> rows() { return rows; }

    /** Appends a row; values are Number, String or Boolean, one per column. */
    public ResultTable add(Object... values) {
        if (values.length != columns.size()) {
            throw new IllegalArgumentException("table " + name + " has " + columns.size() + " columns, got " + values.length
                    + " values: " + Arrays.toString(values));
        }
        rows.add(values.clone());
        return this;
    }

    /** The values of one column, as doubles (for plots). */
    public double[] doubles(String column) {
        int c = index(column);
        double[] v = new double[rows.size()];
        for (int i = 0; i < v.length; i++) v[i] = ((Number) rows.get(i)[c]).doubleValue();
        return v;
    }

    public int index(String column) {
        int c = columns.indexOf(column);
        if (c < 0) throw new IllegalArgumentException("table " + name + " has no column " + column + " (columns " + columns + ")");
        return c;
    }

    /** Rows as maps (for results.json). */
    public List<Map<String, Object>> asMaps() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object[] r : rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (int c = 0; c < columns.size(); c++) m.put(columns.get(c), r[c]);
            out.add(m);
        }
        return out;
    }

    public void writeCsv(Path file) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.join(",", columns.stream().map(ResultTable::quote).toList())).append('\n');
        for (Object[] r : rows) {
            for (int c = 0; c < r.length; c++) {
                if (c > 0) sb.append(',');
                sb.append(r[c] == null ? "" : quote(String.valueOf(r[c])));
            }
            sb.append('\n');
        }
        try {
            Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static String quote(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0) return s;
        return '"' + s.replace("\"", "\"\"") + '"';
    }
}
