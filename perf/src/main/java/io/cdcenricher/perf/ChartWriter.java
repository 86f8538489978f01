package io.cdcenricher.perf;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.imageio.ImageIO;

import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/** {@code chart.png}: median throughput per mode on the left, latency percentiles on the right, drawn with XChart. */
public final class ChartWriter {

    private static final int WIDTH = 800;
    private static final int HEIGHT = 500;

    private ChartWriter() {
    }

    public static void write(RunResults results, Path file) {
        System.setProperty("java.awt.headless", "true");
        BufferedImage image = new BufferedImage(2 * WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 2 * WIDTH, HEIGHT);
        throughputChart(results).paint(g, WIDTH, HEIGHT);
        g.translate(WIDTH, 0);
        latencyChart(results).paint(g, WIDTH, HEIGHT);
        g.dispose();
        try {
            ImageIO.write(image, "png", file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static CategoryChart throughputChart(RunResults results) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Throughput per mode (median records/s of " + results.rounds() + " rounds, one stream thread)")
                .xAxisTitle("mode").yAxisTitle("records/s").build();
        style(chart);
        List<String> modes = new ArrayList<>();
        List<Double> rates = new ArrayList<>();
        for (ModeSummary s : results.summaries()) {
            modes.add(s.trusted() ? s.entry() : s.entry() + " (noisy)");
            rates.add((double) Math.round(s.median()));
        }
        if (modes.isEmpty()) {
            modes.add("none");
            rates.add(0.0);
        }
        chart.addSeries("records/s", modes, rates);
        chart.getStyler().setLegendVisible(false);
        return chart;
    }

    static CategoryChart latencyChart(RunResults results) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Latency percentiles (ms)").xAxisTitle("percentile").yAxisTitle("ms").build();
        style(chart);
        List<String> percentiles = List.of("p50", "p95", "p99", "p99.9");
        for (RunResults.Latency l : results.latencies) {
            if (l.name().contains("not sustained")) {
                continue; // seconds of backlog would flatten the other series; the report has the figures
            }
            chart.addSeries(l.name(), percentiles, List.of(round1(l.p50()), round1(l.p95()), round1(l.p99()), round1(l.p999())));
        }
        if (chart.getSeriesMap().isEmpty()) {
            chart.addSeries("not measured", percentiles, List.of(0.0, 0.0, 0.0, 0.0));
        }
        return chart;
    }

    private static double round1(double value) {
        return Math.round(value * 10) / 10.0;
    }

    private static void style(CategoryChart chart) {
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setLabelsVisible(true);
        chart.getStyler().setDecimalPattern("#,##0.#");
        chart.getStyler().setAvailableSpaceFill(0.6);
    }
}
