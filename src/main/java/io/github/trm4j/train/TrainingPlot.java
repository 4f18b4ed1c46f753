package io.github.trm4j.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.trm4j.AtomicOutput;
import io.github.trm4j.InputException;
import io.github.trm4j.eval.LineChart;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The training curve of a run folder, from its {@code metrics.jsonl}: exact and cell accuracy of
 * the sequences that finished (halted) in each step, as a moving average over {@code window}
 * steps weighted by how many finished, the loss (moving average, divided by its largest value so
 * that it shares the 0-1 axis), and the test evaluations as dots. The x axis runs to the last step
 * or evaluation logged.
 */
public final class TrainingPlot {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TrainingPlot() {}

    /**
     * What was drawn: the last step logged, evaluations read, and the last smoothed training exact
     * accuracy (NaN before any sequence finished its supervision steps).
     */
    public record Result(Path file, long steps, int evaluations, double lastExactAccuracy) {}

    /** Reads {@code runDir/metrics.jsonl} and writes the PNG to {@code out} (atomically; an existing file only with {@code force}). */
    public static Result write(Path runDir, Path out, int window, boolean force) {
        if (window < 1) throw new InputException("--window: must be at least 1, not " + window);
        Path file = runDir.resolve(MetricsLog.FILE);
        List<double[]> train = new ArrayList<>(); // step, halted, exact, cell
        List<double[]> loss = new ArrayList<>();  // step, loss
        List<double[]> eval = new ArrayList<>();  // step, exact, cell
        for (JsonNode n : MetricsLog.read(runDir)) {
            String type = n.path("type").asText();
            if (type.equals("train") && n.path("loss").isNumber()) loss.add(new double[] {n.path("step").asDouble(), n.path("loss").asDouble()});
            if (type.equals("train") && n.path("halted").asDouble() > 0 && n.path("exact_accuracy").isNumber()) {
                train.add(new double[] {n.path("step").asDouble(), n.path("halted").asDouble(),
                        n.path("exact_accuracy").asDouble(), n.path("accuracy").asDouble()});
            } else if (type.equals("eval") && !n.has("set")) { // --eval-data sets are drawn by trm plot --compare
                eval.add(new double[] {n.path("step").asDouble(), n.path("exact_accuracy").asDouble(), n.path("accuracy").asDouble()});
            }
        }
        if (loss.isEmpty()) throw new InputException(file + ": no training step logged yet");

        int n = train.size();
        double[] x = new double[n], exact = new double[n], cell = new double[n];
        double wSum = 0, eSum = 0, cSum = 0;
        for (int i = 0; i < n; i++) {
            double[] t = train.get(i);
            wSum += t[1];
            eSum += t[1] * t[2];
            cSum += t[1] * t[3];
            if (i >= window) {
                double[] old = train.get(i - window);
                wSum -= old[1];
                eSum -= old[1] * old[2];
                cSum -= old[1] * old[3];
            }
            x[i] = t[0];
            exact[i] = eSum / wSum;
            cell[i] = cSum / wSum;
        }
        double lastStep = loss.get(loss.size() - 1)[0];
        for (double[] e : eval) lastStep = Math.max(lastStep, e[0]);
        LineChart chart = new LineChart("trm train: " + runDir.toAbsolutePath().normalize().getFileName(), "optimizer step", "accuracy")
                .xRange(0, Math.max(1, lastStep));
        if (n > 0) {
            chart.add(new LineChart.Series(String.format(Locale.ROOT, "train exact (last %.1f%%, mean of %d steps)", 100 * exact[n - 1], window),
                            LineChart.BLUE, x, exact, false))
                    .add(new LineChart.Series(String.format(Locale.ROOT, "train cell (last %.1f%%)", 100 * cell[n - 1]), LineChart.ORANGE, x, cell, false));
        }
        chart.add(lossSeries(loss, window));
        if (!eval.isEmpty()) {
            double[] ex = new double[eval.size()], ey = new double[eval.size()];
            for (int i = 0; i < ex.length; i++) {
                ex[i] = eval.get(i)[0];
                ey[i] = eval.get(i)[1];
            }
            chart.add(new LineChart.Series(String.format(Locale.ROOT, "test exact, EMA (last %.1f%%)", 100 * ey[ey.length - 1]),
                    LineChart.GREEN, ex, ey, true));
        }
        writePng(chart, out, force);
        return new Result(out, (long) lastStep, eval.size(), n > 0 ? exact[n - 1] : Double.NaN);
    }

    /** The loss as a moving average over {@code window} steps, divided by the largest average. */
    /** Writes {@code chart} to {@code out} atomically; an existing file only with {@code force}. */
    static void writePng(LineChart chart, Path out, boolean force) {
        Path tmp = AtomicOutput.beginFile(out, force);
        try {
            chart.write(tmp);
            AtomicOutput.commitFile(tmp, out);
        } finally {
            AtomicOutput.abandon(tmp);
        }
    }

    private static LineChart.Series lossSeries(List<double[]> loss, int window) {
        int n = loss.size();
        double[] x = new double[n], y = new double[n];
        double sum = 0, max = 0;
        for (int i = 0; i < n; i++) {
            sum += loss.get(i)[1];
            if (i >= window) sum -= loss.get(i - window)[1];
            x[i] = loss.get(i)[0];
            y[i] = sum / Math.min(i + 1, window);
            if (Double.isFinite(y[i])) max = Math.max(max, y[i]);
        }
        double scale = max > 0 ? max : 1;
        for (int i = 0; i < n; i++) y[i] = Double.isFinite(y[i]) ? y[i] / scale : 1;
        return new LineChart.Series(String.format(Locale.ROOT, "train loss / %.3g (last %.4f)", scale, y[n - 1] * scale), LineChart.RED, x, y, false);
    }
}
