package io.trustplane.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Draws latency-by-percentile curves as a self-contained SVG: the x axis in "nines" (p50, p90, p99, p99.9,
 * p99.99, so the tail gets the room it deserves), the y axis in milliseconds on a log scale.
 */
final class LatencyPlot {

    private static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
            "#e377c2", "#17becf", "#7f7f7f", "#bcbd22"};
    private static final int W = 760;
    private static final int H = 440;
    private static final int LEFT = 64;
    private static final int RIGHT = 220;
    private static final int TOP = 40;
    private static final int BOTTOM = 48;
    private static final double X_MAX = 4; // p99.99

    private LatencyPlot() {
    }

    /** {@code series}: name → [[percentile, ms], ...] (wrk's curve). */
    static String svg(String title, Map<String, List<List<Double>>> series) {
        double maxMs = 1;
        double minMs = 1000;
        for (List<List<Double>> points : series.values()) {
            for (List<Double> p : points) {
                if (p.get(0) >= 50) {
                    maxMs = Math.max(maxMs, p.get(1));
                    minMs = Math.min(minMs, Math.max(0.05, p.get(1)));
                }
            }
        }
        double yLo = Math.pow(10, Math.floor(Math.log10(minMs)));
        double yHi = Math.pow(10, Math.ceil(Math.log10(maxMs)));
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n", W, H, W, H));
        s.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"22\" font-size=\"15\" font-weight=\"bold\">%s</text>%n",
                LEFT, escape(title)));
        int plotW = W - LEFT - RIGHT;
        int plotH = H - TOP - BOTTOM;
        // grid: y decades, x nines
        for (double y = yLo; y <= yHi * 1.0001; y *= 10) {
            double py = TOP + plotH - plotH * (Math.log10(y) - Math.log10(yLo)) / (Math.log10(yHi) - Math.log10(yLo));
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>%n",
                    LEFT, py, LEFT + plotW, py));
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s ms</text>%n",
                    LEFT - 6, py + 4, y < 1 ? String.format(Locale.ROOT, "%.1f", y) : String.format(Locale.ROOT, "%.0f", y)));
        }
        String[] labels = {"p50", "p90", "p99", "p99.9", "p99.99"};
        double[] percentiles = {50, 90, 99, 99.9, 99.99};
        for (int i = 0; i < labels.length; i++) {
            double px = x(percentiles[i], plotW);
            s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>%n",
                    px, TOP, px, TOP + plotH));
            s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
                    px, TOP + plotH + 18, labels[i]));
        }
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">percentile of requests</text>%n",
                LEFT + plotW / 2, H - 8));
        s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#888\"/>%n",
                LEFT, TOP, plotW, plotH));
        int i = 0;
        for (Map.Entry<String, List<List<Double>>> e : series.entrySet()) {
            String color = COLORS[i % COLORS.length];
            StringBuilder path = new StringBuilder();
            for (List<Double> p : e.getValue()) {
                if (p.get(0) < 50) {
                    continue;
                }
                double ms = Math.max(yLo, p.get(1));
                double py = TOP + plotH - plotH * (Math.log10(ms) - Math.log10(yLo)) / (Math.log10(yHi) - Math.log10(yLo));
                path.append(path.length() == 0 ? "M" : " L").append(String.format(Locale.ROOT, "%.1f %.1f",
                        x(p.get(0), plotW), py));
            }
            s.append(String.format(Locale.ROOT, "<path d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"/>%n",
                    path, color));
            int ly = TOP + 10 + i * 18;
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"3\"/>%n",
                    LEFT + plotW + 12, ly, LEFT + plotW + 32, ly, color));
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>%n", LEFT + plotW + 38, ly + 4,
                    escape(e.getKey())));
            i++;
        }
        s.append("</svg>\n");
        return s.toString();
    }

    private static double x(double percentile, int plotW) {
        double nines = -Math.log10(Math.max(1e-6, 1 - percentile / 100.0));
        double lo = -Math.log10(0.5);
        return LEFT + plotW * (Math.min(nines, X_MAX) - lo) / (X_MAX - lo);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
