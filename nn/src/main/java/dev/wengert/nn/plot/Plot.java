package dev.wengert.nn.plot;

import dev.wengert.nn.io.TempFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Line plots written as PNG files (loss curves, accuracy curves, scaling curves), through XChart, an
 * optional dependency: a program that saves plots adds {@code org.knowm.xchart:xchart} to its own
 * dependencies (without it, {@link #save} says so).
 *
 * <pre>{@code
 * Plot.lines("Training loss", "epoch", "loss")
 *     .series("train", epochs, trainLoss)
 *     .series("validation", epochs, valLoss)
 *     .save(Path.of("reports/loss.png"));
 * }</pre>
 */
public final class Plot {
    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final Map<String, double[][]> series = new LinkedHashMap<>();
    private boolean logX;
    private boolean logY;
    private boolean markers;
    private int width = 800;
    private int height = 500;

    private Plot(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    /**
     * A new line plot.
     *
     * @param title  the plot's title
     * @param xLabel the x axis's title
     * @param yLabel the y axis's title
     * @return a plot with no series, linear axes, lines only, 800 × 500 pixels
     */
    public static Plot lines(String title, String xLabel, String yLabel) {
        return new Plot(title, xLabel, yLabel);
    }

    /**
     * Adds a named series of points (x[i], y[i]).
     *
     * @param name the series' name in the legend, unique in this plot
     * @param x    the x values; copied
     * @param y    the y values, as many as x; copied
     * @return this plot
     */
    public Plot series(String name, double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("plot: series '" + name + "' has " + x.length + " x values and "
                    + y.length + " y values");
        }
        if (series.containsKey(name)) throw new IllegalArgumentException("plot: series '" + name + "' added twice");
        series.put(name, new double[][] {x.clone(), y.clone()});
        return this;
    }

    /**
     * Adds a series with x = 1, 2, ..., n.
     *
     * @param name the series' name in the legend, unique in this plot
     * @param y    the y values; copied
     * @return this plot
     */
    public Plot series(String name, double[] y) {
        double[] x = new double[y.length];
        for (int i = 0; i < x.length; i++) x[i] = i + 1;
        return series(name, x, y);
    }

    /**
     * Logarithmic axes (for scaling curves), and markers on the points; points must then be positive.
     *
     * @return this plot
     */
    public Plot logLog() {
        this.logX = true;
        this.logY = true;
        this.markers = true;
        return this;
    }

    /**
     * A logarithmic y axis only.
     *
     * @return this plot
     */
    public Plot logY() {
        this.logY = true;
        return this;
    }

    /**
     * Marks each point (default: lines only).
     *
     * @return this plot
     */
    public Plot markers() {
        this.markers = true;
        return this;
    }

    /**
     * The image size in pixels (default 800 × 500).
     *
     * @param width  the width in pixels
     * @param height the height in pixels
     * @return this plot
     */
    public Plot size(int width, int height) {
        this.width = width;
        this.height = height;
        return this;
    }

    /**
     * Writes the PNG to {@code file} (a {@code .png} suffix is added if missing), creating parent
     * folders; written to a temporary file first and then moved, so a reader never sees half a file.
     *
     * @param file the destination
     * @return the path written
     */
    public Path save(Path file) {
        if (series.isEmpty()) throw new IllegalStateException("plot '" + title + "': no series");
        if (!XCHART) {
            throw new IllegalStateException("plot '" + title + "': drawing needs XChart, an optional dependency of "
                    + "wengert-nn; add org.knowm.xchart:xchart (3.8) to your project to write " + file);
        }
        String name = file.getFileName().toString();
        Path target = name.endsWith(".png") ? file : file.resolveSibling(name + ".png");
        try {
            Path dir = target.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = TempFiles.create(dir, ".plot", ".png");
            String base = tmp.toString().substring(0, tmp.toString().length() - ".png".length());
            Chart.write(this, base);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("plot: cannot write " + target, e);
        }
        return target;
    }

    /** Whether XChart is on the class path (it is optional for users of this module). */
    private static final boolean XCHART = present("org.knowm.xchart.XYChart");

    private static boolean present(String cls) {
        try {
            Class.forName(cls, false, Plot.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** The XChart calls, in their own class so that Plot loads without XChart. */
    private static final class Chart {
        static void write(Plot p, String base) throws IOException {
            XYChart chart = new XYChartBuilder().width(p.width).height(p.height).title(p.title).xAxisTitle(p.xLabel)
                    .yAxisTitle(p.yLabel).build();
            chart.getStyler().setXAxisLogarithmic(p.logX);
            chart.getStyler().setYAxisLogarithmic(p.logY);
            chart.getStyler().setLegendVisible(p.series.size() > 1);
            for (Map.Entry<String, double[][]> e : p.series.entrySet()) {
                XYSeries s = chart.addSeries(e.getKey(), e.getValue()[0], e.getValue()[1]);
                if (!p.markers) s.setMarker(SeriesMarkers.NONE);
            }
            BitmapEncoder.saveBitmap(chart, base, BitmapEncoder.BitmapFormat.PNG);
        }
    }
}
