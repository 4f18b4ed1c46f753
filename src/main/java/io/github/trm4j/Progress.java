package io.github.trm4j;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress of a long job on stderr: a bar with rate and ETA on a terminal, otherwise (a pipe, a
 * file, {@code nohup}) a plain line at most every {@link #LOG_SECONDS} seconds and one at the end.
 * {@link #off()} shows nothing. Not thread-safe: one thread advances it.
 */
public final class Progress implements AutoCloseable {
    /**
     * Seconds between the plain lines written when stderr is not a terminal; the environment variable
     * TRM_PROGRESS_SECONDS (or the system property trm.progress.seconds) overrides it.
     */
    public static final long LOG_SECONDS = 10;

    private final String task;
    private final String unit;
    private final long total;
    private final ProgressBar bar;
    private final PrintStream log;
    private final long logNanos;
    private final long start = System.nanoTime();
    private long done;
    private long startDone;
    private long lastLog = start;
    private long loggedDone = -1;
    private String extra = "";
    private boolean closed;

    private Progress(String task, String unit, long total, long startsFrom, ProgressBar bar, PrintStream log, long logSeconds) {
        this.task = task;
        this.unit = unit;
        this.total = total;
        this.bar = bar;
        this.log = log;
        this.logNanos = logSeconds * 1_000_000_000L;
        this.done = startsFrom;
        this.startDone = startsFrom;
    }

    /** Shows nothing. */
    public static Progress off() {
        return new Progress("", "", 0, 0, null, null, 0);
    }

    /** A bar on a terminal, plain lines otherwise; nothing when {@code enabled} is false. */
    public static Progress start(String task, long total, String unit, boolean enabled) {
        return start(task, total, unit, 0, enabled);
    }

    /** As {@link #start(String, long, String, boolean)}, with {@code startsFrom} units already done (a resumed run). */
    public static Progress start(String task, long total, String unit, long startsFrom, boolean enabled) {
        if (!enabled) return off();
        if (System.console() != null) {
            ProgressBar bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setUnit(" " + unit, 1).showSpeed()
                    .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500).startsFrom(startsFrom, Duration.ZERO)
                    .setConsumer(new ConsoleProgressBarConsumer(System.err)).build();
            return new Progress(task, unit, total, startsFrom, bar, null, 0);
        }
        return new Progress(task, unit, total, startsFrom, null, System.err, logSeconds());
    }

    /** Plain lines on stderr, terminal or not (a training run's log for {@code nohup} and {@code --no-progress}). */
    public static Progress lines(String task, long total, String unit, long startsFrom) {
        return new Progress(task, unit, total, startsFrom, null, System.err, logSeconds());
    }

    /** Whether this draws a bar (a terminal) rather than plain lines. */
    public boolean isBar() {
        return bar != null;
    }

    public void stepBy(long n) {
        stepTo(done + n);
    }

    public void stepTo(long n) {
        done = n;
        if (bar != null) bar.stepTo(n);
        else if (log != null && System.nanoTime() - lastLog >= logNanos) logLine();
    }

    /** Text shown after the counts (loss, accuracy, ...). */
    public void setExtraMessage(String message) {
        extra = message == null ? "" : message;
        if (bar != null) bar.setExtraMessage(" " + extra);
    }

    /** One line of news (an evaluation result): above the bar, or as a plain line. */
    public void println(String line) {
        if (bar != null) {
            System.err.print("\r\033[K");
            System.err.println(line);
        } else if (log != null) {
            log.println(line);
        }
    }

    private void logLine() {
        lastLog = System.nanoTime();
        loggedDone = done;
        double seconds = (lastLog - start) / 1e9;
        double rate = (done - startDone) / Math.max(seconds, 1e-9);
        String eta = rate > 0 && total > done ? ", ETA " + duration((total - done) / rate) : "";
        log.println(String.format(Locale.ROOT, "%s: %,d/%,d %s (%.0f%%), %s %s/s%s%s", task, done, total, unit,
                total > 0 ? 100.0 * done / total : 100.0, rate >= 10 ? String.format(Locale.ROOT, "%,.0f", rate)
                        : String.format(Locale.ROOT, "%.2f", rate), unit, eta, extra.isEmpty() ? "" : "; " + extra));
    }

    /** {@code 75 s}, {@code 12m 05s}, {@code 3h 20m}. */
    static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s < 100) return s + " s";
        if (s < 3600) return String.format(Locale.ROOT, "%dm %02ds", s / 60, s % 60);
        return String.format(Locale.ROOT, "%dh %02dm", s / 3600, s % 3600 / 60);
    }

    private static long logSeconds() {
        String env = System.getProperty("trm.progress.seconds", System.getenv("TRM_PROGRESS_SECONDS"));
        try {
            return env == null || env.isBlank() ? LOG_SECONDS : Math.max(0, Long.parseLong(env.strip()));
        } catch (NumberFormatException e) {
            throw new InputException("TRM_PROGRESS_SECONDS: expected a whole number of seconds, got '" + env + "'");
        }
    }

    /** Closes the bar; in plain mode writes a last line when the job ran long enough to have logged. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        if (bar != null) bar.close();
        else if (log != null && (System.nanoTime() - start) >= logNanos && done > startDone && done != loggedDone) logLine();
    }
}
