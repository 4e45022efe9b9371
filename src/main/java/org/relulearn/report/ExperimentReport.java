package org.relulearn.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * What one experiment produced: its settings and seeds, result tables, figures, and the comparisons
 * with theory or reference values ({@link Check}), written as report.md (plots embedded), results.json,
 * one CSV per table, Parquet per table (through a caller-supplied writer, so this class needs no
 * Spark) and PNG + SVG per figure.
 */
public final class ExperimentReport {
    /**
     * One comparison: a measured value against the expected one with its tolerance, and whether it
     * matched. {@code expected} is a short text ("0.142 (reference grid)", "<= kappa* = 0.93").
     */
    public record Check(String name, String expected, double measured, boolean passed, String note) {}

    private final String name;
    private final String title;
    private final Map<String, Object> settings = new LinkedHashMap<>();
    private final List<ResultTable> tables = new ArrayList<>();
    private final List<Figure> figures = new ArrayList<>();
    private final List<Check> checks = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private double seconds;

    public ExperimentReport(String name, String title) {
        this.name = name;
        this.title = title;
    }

    public String name() { return name; }
    public Map<String, Object> settings() { return settings; }
    public List<ResultTable> tables() { return tables; }
    public List<Figure> figures() { return figures; }
    public List<Check> checks() { return checks; }
    public List<String> notes() { return notes; }
    public double seconds() { return seconds; }

    public ExperimentReport setting(String key, Object value) { settings.put(key, value); return this; }
    public ExperimentReport table(ResultTable t) { tables.add(t); return this; }
    public ExperimentReport figure(Figure f) { figures.add(f); return this; }
    public ExperimentReport note(String s) { notes.add(s); return this; }
    public ExperimentReport seconds(double s) { seconds = s; return this; }

    /** Records a check that passes when |measured - expected| <= relTol |expected|. */
    public Check checkRelative(String what, double expected, double measured, double relTol, String source) {
        boolean ok = Math.abs(measured - expected) <= relTol * Math.abs(expected);
        return check(new Check(what, String.format(Locale.ROOT, "%.4g +/- %.0f%% (%s)", expected, 100 * relTol, source), measured, ok, ""));
    }

    /** Records a check that passes when measured <= bound. */
    public Check checkAtMost(String what, double bound, double measured, String source) {
        return check(new Check(what, String.format(Locale.ROOT, "<= %.4g (%s)", bound, source), measured, measured <= bound, ""));
    }

    /** Records a check that passes when measured >= bound. */
    public Check checkAtLeast(String what, double bound, double measured, String source) {
        return check(new Check(what, String.format(Locale.ROOT, ">= %.4g (%s)", bound, source), measured, measured >= bound, ""));
    }

    public Check check(Check c) {
        checks.add(c);
        return c;
    }

    public long failedChecks() { return checks.stream().filter(c -> !c.passed()).count(); }

    /**
     * Writes everything into {@code dir}; {@code parquet} writes one table as {@code dir/<name>.parquet}
     * (null to skip Parquet).
     */
    public void write(Path dir, BiConsumer<ResultTable, Path> parquet) {
        for (ResultTable t : tables) {
            t.writeCsv(dir.resolve(t.name() + ".csv"));
            if (parquet != null) parquet.accept(t, dir.resolve(t.name() + ".parquet"));
        }
        for (Figure f : figures) {
            if (f.seriesCount() > 0) {
                f.save(dir);
            } else {
                notes.add("figure " + f.name() + " has no points to draw (every run was refused or non-positive on a log axis)");
            }
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("experiment", name);
        json.put("settings", settings);
        json.put("seconds", seconds);
        json.put("checks", checks.stream().map(c -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", c.name());
            m.put("expected", c.expected());
            m.put("measured", c.measured());
            m.put("passed", c.passed());
            return m;
        }).toList());
        Map<String, Object> tj = new LinkedHashMap<>();
        for (ResultTable t : tables) tj.put(t.name(), t.asMaps());
        json.put("tables", tj);
        Json.write(dir.resolve("results.json"), json);
        try {
            Files.writeString(dir.resolve("report.md"), markdown(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report into " + dir, e);
        }
    }

    /** The Markdown report: settings, wall time, figures, what matched and what did not, tables. */
    public String markdown() {
        StringBuilder sb = new StringBuilder();
        sb.append("# ").append(title).append("\n\n");
        sb.append("Experiment `").append(name).append("`, wall time ").append(String.format(Locale.ROOT, "%.1f s", seconds)).append(".\n\n");
        sb.append("## Settings\n\n| setting | value |\n|---|---|\n");
        settings.forEach((k, v) -> sb.append("| ").append(k).append(" | ").append(v).append(" |\n"));
        sb.append('\n');
        for (Figure f : figures) {
            if (f.seriesCount() == 0) continue;
            sb.append("![").append(f.title()).append("](").append(f.name()).append(".png)\n\n");
            if (!f.caption().isEmpty()) sb.append(f.caption()).append("\n\n");
        }
        sb.append("## Against theory and reference values\n\n");
        long failed = failedChecks();
        sb.append(checks.size() - failed).append(" of ").append(checks.size()).append(" checks matched.\n\n");
        sb.append("| check | expected | measured | matched |\n|---|---|---|---|\n");
        for (Check c : checks) {
            sb.append("| ").append(c.name()).append(" | ").append(c.expected()).append(" | ")
                    .append(String.format(Locale.ROOT, "%.4g", c.measured())).append(" | ").append(c.passed() ? "yes" : "**no**")
                    .append(" |\n");
        }
        sb.append('\n');
        if (!notes.isEmpty()) {
            sb.append("## Notes\n\n");
            for (String n : notes) sb.append("- ").append(n).append('\n');
            sb.append('\n');
        }
        sb.append("## Tables\n\n");
        for (ResultTable t : tables) {
            sb.append("`").append(t.name()).append(".csv` / `").append(t.name()).append(".parquet`");
            if (t.rows().size() > 40) {
                sb.append(" (").append(t.rows().size()).append(" rows; first 40 shown)");
            }
            sb.append("\n\n| ").append(String.join(" | ", t.columns())).append(" |\n|");
            sb.append("---|".repeat(t.columns().size())).append('\n');
            for (Object[] r : t.rows().subList(0, Math.min(40, t.rows().size()))) {
                sb.append("| ");
                for (Object v : r) {
                    sb.append(v instanceof Double dv ? String.format(Locale.ROOT, "%.4g", dv) : String.valueOf(v)).append(" | ");
                }
                sb.append('\n');
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
