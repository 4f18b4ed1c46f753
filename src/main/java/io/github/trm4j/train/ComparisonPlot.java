package io.github.trm4j.train;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.trm4j.InputException;
import io.github.trm4j.eval.LineChart;
import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code trm plot --compare}: the exact (or cell) accuracy of the {@code --eval-data} sets of several runs
 * against their training wall clock (the sum of the logged step times, evaluations left out), as
 * one PNG, and a Markdown table: each run's steps and minutes, its last accuracy per set, its
 * accuracy when the shortest run was last evaluated (equal wall clock), and the minutes it took to reach the
 * first run's last accuracy (the speed-up against that run).
 */
public final class ComparisonPlot {
    private static final Color[] COLOURS = {LineChart.BLUE, LineChart.ORANGE, LineChart.GREEN, LineChart.RED,
        new Color(0x94, 0x67, 0xbd), new Color(0x8c, 0x56, 0x4b), new Color(0xe3, 0x77, 0xc2), new Color(0x7f, 0x7f, 0x7f)};

    private ComparisonPlot() {}

    /** One run: its name, minutes of training and, per set, the evaluations as (minutes, exact accuracy). */
    record Run(String name, long steps, double minutes, Map<String, List<double[]>> sets) {}

    /** Reads the runs and returns them with the sets in the order first seen. */
    static List<Run> read(List<Path> runDirs, boolean cell) {
        List<Run> runs = new ArrayList<>();
        for (Path dir : runDirs) {
            TreeMap<Long, Double> clock = new TreeMap<>(); // step -> seconds of training up to its end
            double seconds = 0;
            long steps = 0;
            Map<String, List<double[]>> sets = new LinkedHashMap<>();
            List<JsonNode> evals = new ArrayList<>();
            for (JsonNode n : MetricsLog.read(dir)) {
                String type = n.path("type").asText();
                if (type.equals("train")) {
                    if (!n.path("seconds").isNumber())
                        throw new InputException(dir.resolve(MetricsLog.FILE) + ": line of step " + n.path("step").asLong()
                                + " has no 'seconds' (written by an older trm4j); --compare needs the step times");
                    seconds += n.path("seconds").asDouble();
                    steps = n.path("step").asLong();
                    clock.put(steps, seconds);
                } else if (type.equals("eval") && n.has("set")) {
                    evals.add(n);
                }
            }
            for (JsonNode e : evals) {
                var at = clock.floorEntry(e.path("step").asLong());
                double minutes = at == null ? 0 : at.getValue() / 60;
                sets.computeIfAbsent(e.path("set").asText(), k -> new ArrayList<>())
                        .add(new double[] {minutes, e.path(cell ? "accuracy" : "exact_accuracy").asDouble()});
            }
            if (sets.isEmpty())
                throw new InputException(dir.resolve(MetricsLog.FILE) + ": no evaluation of an --eval-data set; train with --eval-data NAME=DIR");
            String name = dir.toAbsolutePath().normalize().getFileName().toString();
            runs.add(new Run(name, steps, seconds / 60, sets));
        }
        return runs;
    }

    /** The accuracy at {@code minutes} by linear interpolation between evaluations; NaN before the first or after the last. */
    static double at(List<double[]> points, double minutes) {
        for (int i = 0; i < points.size(); i++) {
            double[] p = points.get(i);
            if (Math.abs(p[0] - minutes) < 1e-9) return p[1];
            if (p[0] > minutes) {
                if (i == 0) return Double.NaN;
                double[] q = points.get(i - 1);
                return q[1] + (p[1] - q[1]) * (minutes - q[0]) / (p[0] - q[0]);
            }
        }
        return Double.NaN;
    }

    /** The first time the accuracy reaches {@code target} (interpolated), NaN if it never does. */
    static double reach(List<double[]> points, double target) {
        for (int i = 0; i < points.size(); i++) {
            double[] p = points.get(i);
            if (p[1] >= target) {
                if (i == 0) return p[0];
                double[] q = points.get(i - 1);
                return q[0] + (p[0] - q[0]) * (target - q[1]) / (p[1] - q[1]);
            }
        }
        return Double.NaN;
    }

    /** Draws the PNG and returns the Markdown table. */
    public static String write(List<Path> runDirs, boolean cell, Path out, boolean force) {
        List<Run> runs = read(runDirs, cell);
        String metric = cell ? "cell accuracy" : "exact accuracy";
        Set<String> setNames = new LinkedHashSet<>();
        runs.forEach(r -> setNames.addAll(r.sets().keySet()));
        List<String> sets = new ArrayList<>(setNames);

        LineChart chart = new LineChart(metric + " against training wall clock", "training minutes (evaluations excluded)", metric);
        for (int i = 0; i < runs.size(); i++) {
            Run r = runs.get(i);
            for (int s = 0; s < sets.size(); s++) {
                List<double[]> pts = r.sets().get(sets.get(s));
                if (pts == null) continue;
                double[] x = pts.stream().mapToDouble(p -> p[0]).toArray();
                double[] y = pts.stream().mapToDouble(p -> p[1]).toArray();
                chart.add(new LineChart.Series(String.format(Locale.ROOT, "%s, %s (last %.1f%%)", r.name(), sets.get(s), 100 * y[y.length - 1]),
                        COLOURS[i % COLOURS.length], x, y, true, s % 2 == 1));
            }
        }
        chart.xRange(0, runs.stream().mapToDouble(Run::minutes).max().orElse(1));
        TrainingPlot.writePng(chart, out, force);

        // equal wall clock: when the shortest run was last evaluated (a finished run: its end)
        double equal = runs.stream().mapToDouble(r -> r.sets().values().stream().mapToDouble(p -> p.get(p.size() - 1)[0]).min().orElse(0))
                .min().orElse(0);
        StringBuilder t = new StringBuilder("| run | steps | training minutes |");
        StringBuilder rule = new StringBuilder("|---|---|---|");
        Run first = runs.get(0);
        for (String s : sets) {
            List<double[]> ref = first.sets().get(s);
            double target = ref == null ? Double.NaN : ref.get(ref.size() - 1)[1];
            t.append(String.format(Locale.ROOT, " %s: last | %s at %.1f min | %s: minutes to %.1f%% |", s, s, equal, s, 100 * target));
            rule.append("---|---|---|");
        }
        t.append('\n').append(rule).append('\n');
        for (Run r : runs) {
            t.append(String.format(Locale.ROOT, "| %s | %,d | %.1f |", r.name(), r.steps(), r.minutes()));
            for (String s : sets) {
                List<double[]> pts = r.sets().get(s);
                List<double[]> ref = first.sets().get(s);
                if (pts == null) {
                    t.append(" - | - | - |");
                    continue;
                }
                double target = ref == null ? Double.NaN : ref.get(ref.size() - 1)[1];
                double reached = target > 0 ? reach(pts, target) : Double.NaN; // reaching 0% says nothing
                t.append(' ').append(percent(pts.get(pts.size() - 1)[1])).append(" | ").append(percent(at(pts, equal))).append(" | ")
                        .append(!(target > 0) ? "-" : Double.isNaN(reached) ? "not reached" : String.format(Locale.ROOT, "%.1f", reached)).append(" |");
            }
            t.append('\n');
        }
        return t.toString();
    }

    private static String percent(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * v);
    }
}
