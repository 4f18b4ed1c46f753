package io.github.trm4j.train;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.github.trm4j.InputException;
import io.github.trm4j.model.Depth;
import io.github.trm4j.model.ModelConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CGAR's progressive depth curriculum (Qasim et al. 2025): the first part of training runs shallower
 * recursions, (T, n) = (1, 2) for the first 30% of the steps and (2, 4) up to 60% by default, then the
 * model's own (T, n). Early steps cost a fraction of a full step, and the network first learns what
 * one short recursion can do. The stage of a step is a function of the step and the run's length
 * only, so the carry, the EMA, checkpoints and {@code --resume} need no state of their own.
 *
 * <p>Written on the command line as {@code T1n2@0.3,T2n4@0.6}: each stage "T t n n until fraction f"
 * of the steps, fractions rising in (0, 1); steps past the last fraction run at the model's depth.
 */
public final class DepthCurriculum {
    /** The CGAR default stages. */
    public static final String DEFAULT = "T1n2@0.3,T2n4@0.6";

    private static final Pattern STAGE = Pattern.compile("T(\\d+)n(\\d+)@([0-9.]+)");

    private DepthCurriculum() {}

    /**
     * One stage: optimizer steps whose progress (step − 1) / total is below {@code until} and at or
     * above the previous stage's run at (T, n).
     */
    public record Stage(@JsonProperty("until") double until, @JsonProperty("T") int recursions, @JsonProperty("n") int latentSteps) {
        public Stage {
            if (!(until > 0 && until < 1)) throw new InputException("--depth-curriculum: a stage's fraction must be in (0, 1), got " + until);
            if (recursions < 1 || recursions > ModelConfig.MAX_RECURSIONS || latentSteps < 1 || latentSteps > ModelConfig.MAX_LATENT_STEPS)
                throw new InputException("--depth-curriculum: T must be in 1.." + ModelConfig.MAX_RECURSIONS + " and n in 1.."
                        + ModelConfig.MAX_LATENT_STEPS + ", got T" + recursions + "n" + latentSteps);
        }

        Depth depth() {
            return new Depth(recursions, latentSteps);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "T%dn%d@%s", recursions, latentSteps, trim(until));
        }
    }

    /**
     * Parses {@code T1n2@0.3,T2n4@0.6}; "default" is {@link #DEFAULT} (which {@code trm train} caps at
     * the depth of a shallower model; given stages deeper than the model are refused).
     */
    public static List<Stage> parse(String text) {
        String spec = text.trim();
        if (spec.equalsIgnoreCase("default")) spec = DEFAULT;
        List<Stage> stages = new ArrayList<>();
        for (String part : spec.split(",", -1)) {
            Matcher m = STAGE.matcher(part.trim());
            if (!m.matches())
                throw new InputException("--depth-curriculum: '" + part.trim() + "' is not a stage like T1n2@0.3 (T 1, n 2 until 30% of the steps); "
                        + "the default is " + DEFAULT);
            double until;
            try {
                until = Double.parseDouble(m.group(3));
            } catch (NumberFormatException e) {
                throw new InputException("--depth-curriculum: '" + m.group(3) + "' in '" + part.trim() + "' is not a fraction");
            }
            stages.add(new Stage(until, parseInt(m.group(1), part), parseInt(m.group(2), part)));
        }
        check(stages);
        return List.copyOf(stages);
    }

    private static int parseInt(String digits, String part) {
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            throw new InputException("--depth-curriculum: '" + digits + "' in '" + part.trim() + "' is too large");
        }
    }

    /** Stage fractions must rise; a stored list (config.json, a checkpoint) is checked the same way. */
    static void check(List<Stage> stages) {
        for (int i = 1; i < stages.size(); i++) {
            if (!(stages.get(i).until() > stages.get(i - 1).until()))
                throw new InputException("--depth-curriculum: stage fractions must rise, got " + stages.get(i - 1) + " before " + stages.get(i));
        }
    }

    /** The stages with T and n each capped at the model's (stages that become the model's depth are dropped). */
    static List<Stage> capped(List<Stage> stages, ModelConfig model) {
        List<Stage> out = new ArrayList<>();
        for (Stage s : stages) {
            Stage c = new Stage(s.until(), Math.min(s.recursions(), model.recursions()), Math.min(s.latentSteps(), model.latentSteps()));
            if (c.recursions() != model.recursions() || c.latentSteps() != model.latentSteps()) out.add(c);
        }
        return out.isEmpty() ? null : List.copyOf(out);
    }

    /** The depth of optimizer step {@code step} (1-based) of a run of {@code totalSteps}; null stages: the model's. */
    public static Depth at(List<Stage> stages, long step, long totalSteps, ModelConfig model) {
        if (stages != null) {
            double progress = (double) (step - 1) / Math.max(1, totalSteps);
            for (Stage s : stages) if (progress < s.until()) return s.depth();
        }
        return Depth.of(model);
    }

    /** "T1n2@0.3,T2n4@0.6 then the model's T=2, n=4" or "off". */
    public static String describe(List<Stage> stages, ModelConfig model) {
        if (stages == null) return "off";
        StringBuilder b = new StringBuilder();
        for (Stage s : stages) b.append(b.length() == 0 ? "" : ",").append(s);
        return b + " then the model's " + Depth.of(model);
    }

    private static String trim(double v) {
        String s = String.format(Locale.ROOT, "%.4f", v);
        return s.replaceAll("0+$", "").replaceAll("\\.$", "");
    }
}
