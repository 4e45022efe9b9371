package org.relulearn.report;

import java.awt.BasicStroke;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * One plot of an experiment, drawn by XChart and saved as PNG and SVG: measured series as markers
 * joined by thin lines, theory series as dashed lines without markers, so the theory sits beside the
 * measurement. On a logarithmic axis, points with a non-positive coordinate are left out (and
 * counted in the caption by the report).
 */
public final class Figure {
    private record Series(String name, double[] x, double[] y, boolean theory) {}

    private final String name;
    private final String title;
    private final String xLabel;
    private final String yLabel;
    private boolean logX;
    private boolean logY;
    private final List<Series> series = new ArrayList<>();
    private String caption = "";

    /** @param name file stem (name.png, name.svg) */
    public Figure(String name, String title, String xLabel, String yLabel) {
        this.name = name;
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    public String name() { return name; }
    public String title() { return title; }
    public String caption() { return caption; }

    public Figure logX() { logX = true; return this; }
    public Figure logY() { logY = true; return this; }
    public Figure caption(String c) { caption = c; return this; }

    public Figure measured(String label, double[] x, double[] y) { return add(label, x, y, false); }
    public Figure theory(String label, double[] x, double[] y) { return add(label, x, y, true); }

    public int seriesCount() { return series.size(); }

    private Figure add(String label, double[] x, double[] y, boolean theory) {
        if (x.length != y.length) throw new IllegalArgumentException("series " + label + ": x and y lengths differ");
        List<double[]> keep = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            boolean ok = Double.isFinite(x[i]) && Double.isFinite(y[i]) && (!logX || x[i] > 0) && (!logY || y[i] > 0);
            if (ok) keep.add(new double[] {x[i], y[i]});
        }
        if (keep.isEmpty()) return this;
        double[] xs = new double[keep.size()], ys = new double[keep.size()];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = keep.get(i)[0];
            ys[i] = keep.get(i)[1];
        }
        series.add(new Series(label, xs, ys, theory));
        return this;
    }

    /** The XChart chart (headless; no window is ever opened). */
    public XYChart chart() {
        XYChart chart = new XYChartBuilder().width(960).height(540).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        chart.getStyler().setXAxisLogarithmic(logX);
        chart.getStyler().setYAxisLogarithmic(logY);
        // A log axis spanning less than two decades would show one or two labels; label 2, 3, ... 9 too.
        chart.getStyler().setXAxisLogarithmicDecadeOnly(!logX || span(true) >= 100);
        chart.getStyler().setYAxisLogarithmicDecadeOnly(!logY || span(false) >= 100);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Vertical);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        for (Series s : series) {
            XYSeries xy = chart.addSeries(s.name(), s.x(), s.y());
            if (s.theory()) {
                xy.setMarker(SeriesMarkers.NONE);
                xy.setLineStyle(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {8f, 5f}, 0f));
            } else {
                xy.setMarker(SeriesMarkers.CIRCLE);
                xy.setLineStyle(new BasicStroke(1f));
            }
        }
        return chart;
    }

    /** max / min of the x (or y) values over every series; 1 without points. */
    private double span(boolean x) {
        double lo = Double.POSITIVE_INFINITY, hi = 0;
        for (Series s : series) {
            for (double v : x ? s.x() : s.y()) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        return hi > 0 && lo < hi ? hi / lo : 1;
    }

    /** Writes {@code dir/name.png} and {@code dir/name.svg}. */
    public void save(Path dir) {
        if (series.isEmpty()) throw new IllegalStateException("figure " + name + " has no points to draw");
        System.setProperty("java.awt.headless", "true");
        XYChart chart = chart();
        try {
            BitmapEncoder.saveBitmap(chart, dir.resolve(name + ".png").toString(), BitmapEncoder.BitmapFormat.PNG);
            VectorGraphicsEncoder.saveVectorGraphic(chart, dir.resolve(name + ".svg").toString(),
                    VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write figure " + name + " into " + dir, e);
        }
    }
}
