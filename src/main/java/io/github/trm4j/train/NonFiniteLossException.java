package io.github.trm4j.train;

/** The loss of a step is NaN or infinite: training stops before the weights are touched. */
public final class NonFiniteLossException extends RuntimeException {
    private final long step;

    NonFiniteLossException(long step, double loss) {
        super("step " + step + ": the loss is " + loss + "; training stopped before this step's update"
                + " (try a lower --lr, a longer --warmup-steps or --dtype fp32)");
        this.step = step;
    }

    public long step() {
        return step;
    }
}
