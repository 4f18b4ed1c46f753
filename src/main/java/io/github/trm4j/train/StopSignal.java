package io.github.trm4j.train;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C (SIGINT) or SIGTERM during training: finish the current step, write the checkpoint and
 * return, instead of letting the JVM shut down under a running libtorch kernel (which crashes in
 * native code). A second signal stops at once; the checkpoint files are written atomically, so even
 * then the last complete checkpoint survives.
 */
final class StopSignal implements AutoCloseable {
    /** Exit code of a run stopped by a signal (128 + SIGINT, as shells report it). */
    static final int EXIT_CODE = 130;

    private final AtomicBoolean requested = new AtomicBoolean();
    private final List<Signal> signals = new ArrayList<>();
    private final List<SignalHandler> previous = new ArrayList<>();

    private StopSignal() {}

    /** Takes over SIGINT and SIGTERM until {@link #close()}; signals the platform lacks are skipped. */
    static StopSignal install() {
        StopSignal s = new StopSignal();
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                Signal signal = new Signal(name);
                s.previous.add(Signal.handle(signal, sig -> s.onSignal()));
                s.signals.add(signal);
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                // not available here (e.g. the JVM runs with -Xrs): the default behaviour stays
            }
        }
        return s;
    }

    private void onSignal() {
        if (requested.compareAndSet(false, true)) {
            System.err.println("\ntrm: stopping after this step and writing the checkpoint (signal again to stop at once)");
        } else {
            Runtime.getRuntime().halt(EXIT_CODE);
        }
    }

    boolean requested() {
        return requested.get();
    }

    @Override
    public void close() {
        for (int i = 0; i < signals.size(); i++) Signal.handle(signals.get(i), previous.get(i));
    }
}
