package io.github.trm4j.eval;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * accuracy.png: exact and token accuracy of the answers after each supervision step, the paper's
 * "thinking longer helps" curve, and the Q-halt accuracy of each step; a dashed line marks N_sup
 * when the evaluation ran past it.
 */
final class AccuracyPlot {
    private AccuracyPlot() {}

    static void write(Path file, EvalScores scores, String title) {
        List<EvalScores.StepScore> curve = scores.perStep();
        double[] x = new double[curve.size()], exact = new double[curve.size()], token = new double[curve.size()];
        double[] qHalt = new double[curve.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = curve.get(i).step();
            exact[i] = curve.get(i).exactAccuracy();
            token[i] = curve.get(i).tokenAccuracy();
            qHalt[i] = curve.get(i).qHaltAccuracy();
        }
        LineChart chart = new LineChart(title,
                "supervision step" + (scores.adaptive() ? " (adaptive: a halted puzzle keeps its answer)" : ""), "accuracy")
                .xRange(1, scores.steps()).integerTicks()
                .add(new LineChart.Series(last("exact", exact), LineChart.BLUE, x, exact, true))
                .add(new LineChart.Series(last("token", token), LineChart.ORANGE, x, token, true))
                .add(new LineChart.Series(last("q-halt (q_halt >= 0 agrees with exact)", qHalt), LineChart.GREEN, x, qHalt, true));
        if (scores.steps() > scores.supervisionSteps())
            chart.marker(scores.supervisionSteps(), "N_sup = " + scores.supervisionSteps() + " (trained)");
        chart.write(file);
    }

    private static String last(String name, double[] values) {
        return String.format(Locale.ROOT, "%s (last %.1f%%)", name, 100 * values[values.length - 1]);
    }
}
