package io.github.trm4j.eval;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * A PNG line chart of fractions (0 to 100% on the y axis) against a numeric x axis, drawn with
 * Java2D in headless mode: the accuracy-by-step plot of {@code trm eval} and the training curve of
 * {@code trm plot}. No dependency beyond the JDK.
 */
public final class LineChart {
    /** The palette, in the order series usually come. */
    public static final Color BLUE = new Color(0x1f, 0x77, 0xb4);
    public static final Color ORANGE = new Color(0xff, 0x7f, 0x0e);
    public static final Color GREEN = new Color(0x2c, 0xa0, 0x2c);
    public static final Color RED = new Color(0xd6, 0x27, 0x28);

    private static final int WIDTH = 900, HEIGHT = 560, LEFT = 80, RIGHT = 30, TOP = 60, BOTTOM = 70;
    private static final Color GRID = new Color(0xe0, 0xe0, 0xe0);

    /** One line: x and y (a fraction) per point; {@code dots} marks each point; {@code dashed} draws it dashed. */
    public record Series(String label, Color colour, double[] x, double[] y, boolean dots, boolean dashed) {
        public Series(String label, Color colour, double[] x, double[] y, boolean dots) {
            this(label, colour, x, y, dots, false);
        }
    }

    private final String title, xLabel, yLabel;
    private final List<Series> series = new ArrayList<>();
    private double minX = Double.NaN, maxX = Double.NaN, markerX = Double.NaN;
    private String markerLabel;
    private boolean integerTicks;

    public LineChart(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    public LineChart add(Series s) {
        series.add(s);
        return this;
    }

    /** The x range (default: the data's). */
    public LineChart xRange(double min, double max) {
        minX = min;
        maxX = max;
        return this;
    }

    /** Ticks on every integer (thinned to at most 16), for step counts. */
    public LineChart integerTicks() {
        integerTicks = true;
        return this;
    }

    /** A dashed vertical line at {@code x} with a label. */
    public LineChart marker(double x, String label) {
        markerX = x;
        markerLabel = label;
        return this;
    }

    public void write(Path file) {
        System.setProperty("java.awt.headless", "true");
        BufferedImage img = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            draw(g);
        } finally {
            g.dispose();
        }
        try {
            if (!ImageIO.write(img, "png", file.toFile())) throw new IOException("no PNG writer");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private void draw(Graphics2D g) {
        double lo = minX, hi = maxX;
        if (Double.isNaN(lo)) {
            lo = Double.POSITIVE_INFINITY;
            hi = Double.NEGATIVE_INFINITY;
            for (Series s : series) for (double v : s.x()) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
            if (lo > hi) { lo = 0; hi = 1; }
        }
        final double x0 = lo, x1 = hi, span = hi > lo ? hi - lo : 1;
        int plotW = WIDTH - LEFT - RIGHT, plotH = HEIGHT - TOP - BOTTOM;
        java.util.function.DoubleUnaryOperator x = v -> x1 == x0 ? LEFT + plotW / 2.0 : LEFT + (v - x0) * plotW / span;
        java.util.function.DoubleUnaryOperator y = a -> TOP + (1 - a) * plotH;

        Font small = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
        g.setFont(small);
        FontMetrics fm = g.getFontMetrics();
        for (int i = 0; i <= 10; i++) {
            int py = (int) Math.round(y.applyAsDouble(i / 10.0));
            g.setColor(GRID);
            g.drawLine(LEFT, py, LEFT + plotW, py);
            g.setColor(Color.DARK_GRAY);
            String label = (i * 10) + "%";
            g.drawString(label, LEFT - 8 - fm.stringWidth(label), py + fm.getAscent() / 2 - 1);
        }
        for (double t : ticks(x0, hi)) {
            int px = (int) Math.round(x.applyAsDouble(t));
            g.setColor(GRID);
            g.drawLine(px, TOP, px, TOP + plotH);
            g.setColor(Color.DARK_GRAY);
            String label = t == Math.rint(t) ? String.format(Locale.ROOT, "%,d", (long) t) : String.format(Locale.ROOT, "%.2g", t);
            g.drawString(label, px - fm.stringWidth(label) / 2, TOP + plotH + fm.getAscent() + 6);
        }
        if (!Double.isNaN(markerX)) {
            int px = (int) Math.round(x.applyAsDouble(markerX));
            g.setColor(Color.GRAY);
            g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 5}, 0));
            g.drawLine(px, TOP, px, TOP + plotH);
            g.drawString(markerLabel, px + 6, TOP + 16);
        }
        g.setStroke(new BasicStroke(1));
        g.setColor(Color.BLACK);
        g.drawRect(LEFT, TOP, plotW, plotH);
        for (Series s : series) line(g, s, x, y);

        Font label = new Font(Font.SANS_SERIF, Font.PLAIN, 15);
        g.setFont(label);
        g.setColor(Color.BLACK);
        fm = g.getFontMetrics();
        g.drawString(xLabel, LEFT + (plotW - fm.stringWidth(xLabel)) / 2, HEIGHT - 18);
        AffineTransform saved = g.getTransform();
        g.rotate(-Math.PI / 2);
        g.drawString(yLabel, -(TOP + (plotH + fm.stringWidth(yLabel)) / 2), 22);
        g.setTransform(saved);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 17));
        g.drawString(title, LEFT, TOP - 24);

        g.setFont(small);
        int width = 0;
        for (Series s : series) width = Math.max(width, g.getFontMetrics().stringWidth(s.label()));
        int boxW = width + 52, boxH = 10 + 18 * series.size();
        // the corner the curves cross least: bottom right, top right, bottom left, top left
        int[][] corners = {{LEFT + plotW - boxW - 10, TOP + plotH - boxH - 10}, {LEFT + plotW - boxW - 10, TOP + 10},
            {LEFT + 10, TOP + plotH - boxH - 10}, {LEFT + 10, TOP + 10}};
        int lx = corners[0][0], ly = corners[0][1];
        long fewest = Long.MAX_VALUE;
        for (int[] c : corners) {
            long hits = 0;
            for (Series s : series) hits += crossings(s, x, y, c[0], c[1], boxW, boxH);
            if (hits < fewest) {
                fewest = hits;
                lx = c[0];
                ly = c[1];
            }
        }
        g.setColor(new Color(255, 255, 255, 230));
        g.fillRect(lx, ly, boxW, boxH);
        g.setColor(Color.GRAY);
        g.drawRect(lx, ly, boxW, boxH);
        for (int i = 0; i < series.size(); i++) legend(g, lx + 10, ly + 19 + 18 * i, series.get(i));
    }

    private List<Double> ticks(double lo, double hi) {
        List<Double> out = new ArrayList<>();
        if (integerTicks) {
            int steps = (int) Math.round(hi - lo) + 1;
            int every = Math.max(1, (int) Math.ceil(steps / 16.0));
            for (int k = 0; k < steps; k++) if (k % every == 0 || k == steps - 1) out.add(lo + k);
            return out;
        }
        double raw = (hi - lo) / 8, mag = Math.pow(10, Math.floor(Math.log10(raw > 0 ? raw : 1)));
        double step = raw / mag < 2 ? 2 * mag : raw / mag < 5 ? 5 * mag : 10 * mag;
        for (double t = Math.ceil(lo / step) * step; t <= hi + 1e-9; t += step) out.add(t);
        return out;
    }

    private static void line(Graphics2D g, Series s, java.util.function.DoubleUnaryOperator x, java.util.function.DoubleUnaryOperator y) {
        Path2D.Double path = new Path2D.Double();
        for (int i = 0; i < s.x().length; i++) {
            double px = x.applyAsDouble(s.x()[i]), py = y.applyAsDouble(s.y()[i]);
            if (i == 0) path.moveTo(px, py);
            else path.lineTo(px, py);
        }
        g.setColor(s.colour());
        g.setStroke(stroke(s));
        g.draw(path);
        if (s.dots()) {
            for (int i = 0; i < s.x().length; i++) {
                g.fill(new Ellipse2D.Double(x.applyAsDouble(s.x()[i]) - 3.5, y.applyAsDouble(s.y()[i]) - 3.5, 7, 7));
            }
        }
        g.setStroke(new BasicStroke(1));
    }

    /** Points along the series' segments (8 per segment) that fall inside the box. */
    private static long crossings(Series s, java.util.function.DoubleUnaryOperator x, java.util.function.DoubleUnaryOperator y,
            int bx, int by, int bw, int bh) {
        long hits = 0;
        for (int i = 0; i < s.x().length; i++) {
            int j = Math.min(i + 1, s.x().length - 1);
            for (int k = 0; k < 8; k++) {
                double f = k / 8.0;
                double px = x.applyAsDouble(s.x()[i] + f * (s.x()[j] - s.x()[i]));
                double py = y.applyAsDouble(s.y()[i] + f * (s.y()[j] - s.y()[i]));
                if (px >= bx && px <= bx + bw && py >= by && py <= by + bh) hits++;
            }
        }
        return hits;
    }

    private static BasicStroke stroke(Series s) {
        return s.dashed() ? new BasicStroke(2.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10, new float[] {9, 6}, 0)
                : new BasicStroke(2.5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    }

    private static void legend(Graphics2D g, int x, int y, Series s) {
        g.setColor(s.colour());
        g.setStroke(stroke(s));
        g.drawLine(x, y - 4, x + 24, y - 4);
        g.setStroke(new BasicStroke(1));
        g.setColor(Color.BLACK);
        g.drawString(s.label(), x + 32, y);
    }
}
