package io.github.trm4j.eval;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * accuracy.png: exact and token accuracy of the answers after each supervision step, the paper's
 * "thinking longer helps" curve. Drawn with Java2D in headless mode; a dashed line marks N_sup when
 * the evaluation ran past it.
 */
final class AccuracyPlot {
    private static final int WIDTH = 900;
    private static final int HEIGHT = 560;
    private static final int LEFT = 80;
    private static final int RIGHT = 30;
    private static final int TOP = 60;
    private static final int BOTTOM = 70;
    private static final Color EXACT = new Color(0x1f, 0x77, 0xb4);
    private static final Color TOKEN = new Color(0xff, 0x7f, 0x0e);
    private static final Color GRID = new Color(0xe0, 0xe0, 0xe0);

    private AccuracyPlot() {}

    static void write(Path file, EvalScores scores, String title) {
        System.setProperty("java.awt.headless", "true");
        BufferedImage img = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            draw(g, scores, title);
        } finally {
            g.dispose();
        }
        try {
            if (!ImageIO.write(img, "png", file.toFile())) throw new IOException("no PNG writer");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static void draw(Graphics2D g, EvalScores scores, String title) {
        int steps = scores.steps();
        int plotW = WIDTH - LEFT - RIGHT, plotH = HEIGHT - TOP - BOTTOM;
        // x: step 1 at the left edge, step `steps` at the right (a single step sits in the middle)
        java.util.function.IntToDoubleFunction x = k -> steps == 1 ? LEFT + plotW / 2.0 : LEFT + (k - 1) * plotW / (double) (steps - 1);
        java.util.function.DoubleUnaryOperator y = a -> TOP + (1 - a) * plotH;

        Font small = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
        g.setFont(small);
        FontMetrics fm = g.getFontMetrics();
        for (int i = 0; i <= 10; i++) {
            double a = i / 10.0;
            int py = (int) Math.round(y.applyAsDouble(a));
            g.setColor(GRID);
            g.drawLine(LEFT, py, LEFT + plotW, py);
            g.setColor(Color.DARK_GRAY);
            String label = String.format(Locale.ROOT, "%.0f%%", a * 100);
            g.drawString(label, LEFT - 8 - fm.stringWidth(label), py + fm.getAscent() / 2 - 1);
        }
        int every = Math.max(1, (int) Math.ceil(steps / 16.0));
        for (int k = 1; k <= steps; k++) {
            if ((k - 1) % every != 0 && k != steps) continue;
            int px = (int) Math.round(x.applyAsDouble(k));
            g.setColor(GRID);
            g.drawLine(px, TOP, px, TOP + plotH);
            g.setColor(Color.DARK_GRAY);
            String label = Integer.toString(k);
            g.drawString(label, px - fm.stringWidth(label) / 2, TOP + plotH + fm.getAscent() + 6);
        }
        if (steps > scores.supervisionSteps()) {
            int px = (int) Math.round(x.applyAsDouble(scores.supervisionSteps()));
            g.setColor(Color.GRAY);
            g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 5}, 0));
            g.drawLine(px, TOP, px, TOP + plotH);
            g.drawString("N_sup = " + scores.supervisionSteps() + " (trained)", px + 6, TOP + 16);
        }
        g.setStroke(new BasicStroke(1));
        g.setColor(Color.BLACK);
        g.drawRect(LEFT, TOP, plotW, plotH);

        List<EvalScores.StepScore> curve = scores.perStep();
        line(g, curve, x, y, true, EXACT);
        line(g, curve, x, y, false, TOKEN);

        // axis labels, title, legend
        Font label = new Font(Font.SANS_SERIF, Font.PLAIN, 15);
        g.setFont(label);
        g.setColor(Color.BLACK);
        fm = g.getFontMetrics();
        String xLabel = "supervision step" + (scores.adaptive() ? " (adaptive: a halted puzzle keeps its answer)" : "");
        g.drawString(xLabel, LEFT + (plotW - fm.stringWidth(xLabel)) / 2, HEIGHT - 18);
        AffineTransform saved = g.getTransform();
        g.rotate(-Math.PI / 2);
        String yLabel = "accuracy";
        g.drawString(yLabel, -(TOP + (plotH + fm.stringWidth(yLabel)) / 2), 22);
        g.setTransform(saved);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 17));
        g.drawString(title, LEFT, TOP - 24);

        g.setFont(small);
        fm = g.getFontMetrics();
        int lx = LEFT + plotW - 210, ly = TOP + plotH - 54;
        g.setColor(new Color(255, 255, 255, 230));
        g.fillRect(lx, ly, 200, 44);
        g.setColor(Color.GRAY);
        g.drawRect(lx, ly, 200, 44);
        legend(g, lx + 10, ly + 15, EXACT, String.format(Locale.ROOT, "exact (last %.1f%%)", 100 * last(curve, true)));
        legend(g, lx + 10, ly + 33, TOKEN, String.format(Locale.ROOT, "token (last %.1f%%)", 100 * last(curve, false)));
    }

    private static void line(Graphics2D g, List<EvalScores.StepScore> curve, java.util.function.IntToDoubleFunction x,
                             java.util.function.DoubleUnaryOperator y, boolean exact, Color colour) {
        Path2D.Double path = new Path2D.Double();
        for (EvalScores.StepScore s : curve) {
            double px = x.applyAsDouble(s.step()), py = y.applyAsDouble(exact ? s.exactAccuracy() : s.tokenAccuracy());
            if (s.step() == 1) path.moveTo(px, py);
            else path.lineTo(px, py);
        }
        g.setColor(colour);
        g.setStroke(new BasicStroke(2.5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.draw(path);
        for (EvalScores.StepScore s : curve) {
            double px = x.applyAsDouble(s.step()), py = y.applyAsDouble(exact ? s.exactAccuracy() : s.tokenAccuracy());
            g.fill(new java.awt.geom.Ellipse2D.Double(px - 3.5, py - 3.5, 7, 7));
        }
        g.setStroke(new BasicStroke(1));
    }

    private static void legend(Graphics2D g, int x, int y, Color colour, String text) {
        g.setColor(colour);
        g.setStroke(new BasicStroke(2.5f));
        g.drawLine(x, y - 4, x + 24, y - 4);
        g.setStroke(new BasicStroke(1));
        g.setColor(Color.BLACK);
        g.drawString(text, x + 32, y);
    }

    private static double last(List<EvalScores.StepScore> curve, boolean exact) {
        EvalScores.StepScore s = curve.get(curve.size() - 1);
        return exact ? s.exactAccuracy() : s.tokenAccuracy();
    }
}
