package io.github.trm4j.dist;

import io.github.trm4j.InputException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.bytedeco.javacpp.SizeTPointer;
import org.bytedeco.javacpp.chrono.Milliseconds;
import org.bytedeco.pytorch.AllreduceOptions;
import org.bytedeco.pytorch.Backend;
import org.bytedeco.pytorch.BroadcastOptions;
import org.bytedeco.pytorch.GlooDeviceVector;
import org.bytedeco.pytorch.PrefixStore;
import org.bytedeco.pytorch.ProcessGroupGloo;
import org.bytedeco.pytorch.ReduceOp;
import org.bytedeco.pytorch.Store;
import org.bytedeco.pytorch.TCPStore;
import org.bytedeco.pytorch.TCPStoreOptions;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.Work;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * A process group of libtorch's own c10d: a {@link TCPStore} rendezvous hosted by rank 0 and a
 * {@link ProcessGroupGloo} (CPU) or ProcessGroupNCCL (CUDA build) over it. Every collective waits
 * for its {@link Work} within the group's timeout; a failure becomes one {@link Failure} line that
 * names the rank that stopped (found from heartbeats in the store) and the cause.
 */
public final class Group implements AutoCloseable {
    /** The c10d backend ({@code --dist-backend}). */
    public enum Kind { GLOO, NCCL }

    /** A collective or the rendezvous failed: a peer died, hung past the timeout, or never came. */
    public static final class Failure extends RuntimeException {
        Failure(String message) {
            super(message);
        }
    }

    /** Keys of this run in the store (torchrun's agent store outlives restarts, so the restart is part of it). */
    private final String prefix;
    private static final long BEAT_MILLIS = 500;

    private final DistEnv env;
    private final Duration timeout;
    private final TCPStore store;
    private final Backend pg;
    private final Thread heartbeat;
    private final boolean nccl;
    private volatile boolean closing;
    private long waitedNanos;
    private long sentBytes;

    private Group(DistEnv env, Duration timeout, TCPStore store, Backend pg, String prefix, boolean nccl) {
        this.env = env;
        this.prefix = prefix;
        this.nccl = nccl;
        this.timeout = timeout;
        this.store = store;
        this.pg = pg;
        Store beatStore = store.clone(); // its own connection: the store client is not shared across threads
        this.heartbeat = new Thread(() -> beat(beatStore), "trm-dist-heartbeat");
        heartbeat.setDaemon(true);
        heartbeat.start();
    }

    /**
     * Joins the group described by {@code env}: rank 0 opens the store on MASTER_PORT and waits for
     * the others; everyone then builds the process group. Blocks at most {@code timeout}.
     */
    public static Group join(DistEnv env, Kind kind, Duration timeout) {
        String where = env.masterAddr() + ":" + env.masterPort();
        // under torchrun's elastic agent the agent already serves the store on MASTER_PORT (as PyTorch's env:// does)
        boolean agentStore = "True".equals(System.getenv("TORCHELASTIC_USE_AGENT_STORE"));
        String prefix = "trm4j/" + System.getenv().getOrDefault("TORCHELASTIC_RESTART_COUNT", "0") + "/";
        boolean server = env.rank() == 0 && !agentStore;
        if (server) checkPortFree(env.masterPort());
        TCPStore store;
        try {
            TCPStoreOptions o = new TCPStoreOptions();
            o.port((short) env.masterPort());
            o.isServer(server);
            o.numWorkers(new SizeTPointer(1).put(env.worldSize()));
            o.waitWorkers(true);
            o.timeout(millis(timeout));
            store = new TCPStore(env.masterAddr(), o);
        } catch (RuntimeException e) {
            throw new Failure("rank " + env.rank() + ": rendezvous at " + where + " failed within " + seconds(timeout)
                    + " (did all " + env.worldSize() + " ranks of WORLD_SIZE start, with the same MASTER_ADDR and MASTER_PORT?): "
                    + firstLine(e));
        }
        if (store.add(prefix + "rank/" + env.rank(), 1) > 1)
            throw new InputException("RANK " + env.rank() + ": started twice in the group at " + where);
        PrefixStore pgStore = new PrefixStore(prefix + "pg", store);
        Backend pg;
        try {
            pg = kind == Kind.NCCL ? nccl(pgStore, env) : gloo(pgStore, env, timeout);
        } catch (RuntimeException e) {
            throw new Failure("rank " + env.rank() + ": cannot build the " + kind.name().toLowerCase(Locale.ROOT)
                    + " process group at " + where + ": " + firstLine(e));
        }
        return new Group(env, timeout, store, pg, prefix, kind == Kind.NCCL);
    }

    private static Backend gloo(Store s, DistEnv env, Duration timeout) {
        ProcessGroupGloo.Options o = new ProcessGroupGloo.Options(millis(timeout));
        // the transport binds to GLOO_SOCKET_IFNAME when given (as in PyTorch), else to loopback for
        // a run on 127.0.0.1, else to the address this host's name resolves to
        String iface = System.getenv("GLOO_SOCKET_IFNAME");
        o.devices(new GlooDeviceVector(iface != null && !iface.isBlank() ? ProcessGroupGloo.createDeviceForInterface(iface.trim())
                : env.loopback() ? ProcessGroupGloo.createDeviceForHostname("127.0.0.1")
                : ProcessGroupGloo.createDefaultDevice()));
        return new ProcessGroupGloo(s, env.rank(), env.worldSize(), o);
    }

    private static Backend nccl(Store s, DistEnv env) {
        try {
            return new org.bytedeco.pytorch.nccl.ProcessGroupNCCL(s, env.rank(), env.worldSize());
        } catch (LinkageError e) {
            throw new InputException("--dist-backend nccl: this libtorch build has no NCCL (it needs the CUDA build); use gloo");
        }
    }

    /** Rank 0 refuses a busy MASTER_PORT before anything starts, with a line that says so. */
    private static void checkPortFree(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(port));
        } catch (IOException e) {
            throw new InputException("MASTER_PORT " + port + ": the port is in use on this machine (another run?); choose another one");
        }
    }

    public int rank() {
        return env.rank();
    }

    public int size() {
        return env.worldSize();
    }

    public Duration timeout() {
        return timeout;
    }

    /** Seconds this rank spent in collectives so far (the communication share of a step). */
    public double communicationSeconds() {
        return waitedNanos / 1e9;
    }

    /** Bytes this rank contributed to all-reduces so far (the gradients, mostly). */
    public long allReducedBytes() {
        return sentBytes;
    }

    /** Sums {@code t} over all ranks, in place. */
    public void allReduceSum(Tensor t, String what) {
        sentBytes += t.numel() * t.element_size();
        AllreduceOptions o = new AllreduceOptions();
        o.reduceOp(new ReduceOp(ReduceOp.RedOpType.SUM));
        Tensor on = onCommDevice(t);
        run("all-reduce of " + what, () -> pg.allreduce(new TensorVector(on), o));
        if (on != t) t.copy_(on);
    }

    /** NCCL reduces CUDA tensors only: host tensors (metrics, flags, ids) take a trip to the GPU. */
    private Tensor onCommDevice(Tensor t) {
        return nccl && !t.is_cuda() ? t.to(new org.bytedeco.pytorch.Device("cuda"), t.scalar_type()) : t;
    }

    /** Copies rank 0's {@code t} into every rank's {@code t} (contiguous), in place. */
    public void broadcast(Tensor t, String what) {
        BroadcastOptions o = new BroadcastOptions();
        o.rootRank(0);
        run("broadcast of " + what, () -> pg.broadcast(new TensorVector(t), o));
    }

    /** Every rank's {@code local} (same shape on all) stacked along dim 0 in rank order. */
    public Tensor allGather(Tensor local, String what) {
        boolean bool = local.scalar_type() == ScalarType.Bool;
        Tensor in = onCommDevice((bool ? local.to(ScalarType.Byte) : local).contiguous());
        long[] shape = in.shape();
        shape[0] *= size();
        Tensor out = torch.zeros(shape, in.options());
        run("all-gather of " + what, () -> pg._allgather_base(out, in));
        Tensor back = out.is_cuda() == local.is_cuda() ? out : out.to(local.device(), out.scalar_type());
        return bool ? back.to(ScalarType.Bool) : back;
    }

    /** True on every rank when {@code flag} is true on any. */
    public boolean any(boolean flag, String what) {
        Tensor t = Tensor.create(new long[] {flag ? 1 : 0});
        allReduceSum(t, what);
        return t.item_long() > 0;
    }

    /** Waits until every rank has arrived (within the timeout). */
    public void barrier(String what) {
        run("barrier (" + what + ")", pg::barrier);
    }

    /**
     * Refuses, on every rank, a value that differs between ranks (configs, data): one line naming the
     * ranks that differ from rank 0 and the first place they differ.
     */
    public void agree(String what, String value) {
        String key = prefix + "agree/" + what + "/";
        long t0 = System.nanoTime();
        java.util.function.IntFunction<String> valueOf = r -> {
            if (r == rank()) return value;
            try {
                return store.get_to_str(key + r);
            } catch (RuntimeException e) { // that rank never got here: it failed before, or is gone
                throw new Failure("rank " + rank() + ": waiting for the " + what + " of rank " + r + " failed after "
                        + String.format(Locale.ROOT, "%.1f s", (System.nanoTime() - t0) / 1e9) + ": " + culprit() + " (" + firstLine(e) + ")");
            }
        };
        store.set(key + rank(), value);
        String reference = valueOf.apply(0);
        List<Integer> differ = new ArrayList<>();
        String example = null;
        for (int r = 1; r < size(); r++) {
            String other = valueOf.apply(r);
            if (!other.equals(reference)) {
                differ.add(r);
                if (example == null) example = firstDifference(reference, other);
            }
        }
        if (!differ.isEmpty())
            throw new InputException("ranks " + differ + " differ from rank 0 in the " + what + " (" + example + "); start every rank with the same arguments and data");
    }

    private static String firstDifference(String a, String b) {
        int i = 0;
        while (i < a.length() && i < b.length() && a.charAt(i) == b.charAt(i)) i++;
        int from = Math.max(0, i - 20);
        return "rank 0 has '" + a.substring(from, Math.min(a.length(), i + 20)) + "', the other '" + b.substring(from, Math.min(b.length(), i + 20)) + "'";
    }

    private void run(String op, Supplier<Work> start) {
        long t0 = System.nanoTime();
        try {
            Work w = start.get();
            w._wait();
            waitedNanos += System.nanoTime() - t0;
        } catch (RuntimeException e) {
            throw new Failure("rank " + rank() + ": " + op + " failed after " + String.format(Locale.ROOT, "%.1f s", (System.nanoTime() - t0) / 1e9)
                    + ": " + culprit() + " (" + firstLine(e) + ")");
        }
    }

    // ---- failure diagnosis: every rank bumps a counter in the store; a counter that stops names the rank

    private void beat(Store s) {
        String key = prefix + "beat/" + rank();
        while (!closing) {
            try {
                s.add(key, 1);
                Thread.sleep(BEAT_MILLIS);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                return; // the store host is gone; the next collective reports it
            }
        }
    }

    /** Which rank stopped, judged by heartbeats that did not move over four beats. */
    private String culprit() {
        try {
            Store s = store.clone();
            s.setTimeout(new Milliseconds(3000));
            long[] before = beats(s);
            Thread.sleep(4 * BEAT_MILLIS);
            long[] after = beats(s);
            List<Integer> stopped = new ArrayList<>();
            for (int r = 0; r < size(); r++) if (r != rank() && after[r] == before[r]) stopped.add(r);
            if (stopped.isEmpty()) return "no rank died; a peer was slower than --dist-timeout " + seconds(timeout);
            return (stopped.size() == 1 ? "rank " + stopped.get(0) : "ranks " + stopped) + " stopped (died or hung)";
        } catch (RuntimeException e) {
            return "rank 0 (the rendezvous host at " + env.masterAddr() + ":" + env.masterPort() + ") is gone";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while finding the failed rank";
        }
    }

    private long[] beats(Store s) {
        long[] b = new long[size()];
        for (int r = 0; r < size(); r++) b[r] = s.add(prefix + "beat/" + r, 0);
        return b;
    }

    /**
     * Ends a run that went well on this rank. Rank 0 hosts the store, so it waits (within the timeout)
     * until every rank has finished before its store goes away with it.
     */
    public void finish() {
        store.add(prefix + "done", 1);
        if (rank() != 0) return;
        long end = System.nanoTime() + timeout.toNanos();
        try {
            while (store.add(prefix + "done", 0) < size() && System.nanoTime() < end) Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the heartbeat; after a failure nothing more is said to the other ranks. */
    @Override
    public void close() {
        closing = true;
        heartbeat.interrupt();
        try {
            heartbeat.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The first line of a c10d error, without Gloo's leading {@code [/path/file.cc:123]}. */
    static String firstLine(Throwable e) {
        String m = String.valueOf(e.getMessage()).strip();
        int nl = m.indexOf('\n');
        if (nl >= 0) m = m.substring(0, nl).strip();
        return m.startsWith("[/") && m.indexOf("] ") > 0 ? m.substring(m.indexOf("] ") + 2) : m;
    }

    private static Milliseconds millis(Duration d) {
        return new Milliseconds(d.toMillis());
    }

    private static String seconds(Duration d) {
        return d.toSeconds() + " s";
    }
}
