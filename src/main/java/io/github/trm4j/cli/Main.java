package io.github.trm4j.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code trm} command line. */
@Command(
        name = "trm",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "trm4j: the Tiny Recursion Model (TRM) for the JVM.",
        subcommands = {DataCommand.class, InfoCommand.class, ConvertCommand.class, TraceCommand.class, TrainCommand.class,
            EvalCommand.class, PlotCommand.class, SolveCommand.class, DemoCommand.class, ServeCommand.class,
            BenchCommand.class, DoctorCommand.class,
            CommandLine.HelpCommand.class})
public final class Main {

    @Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT,
            description = "On failure, print the stack trace as well as the one-line message.")
    boolean debug;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /**
     * Runs the CLI and returns its exit code: 0 success, 1 environment failure (disk full, no
     * permission, port in use, out of memory) or internal error, 2 user error. Every failure prints
     * one line, {@code trm: <message>}; {@code --debug} adds the stack trace.
     */
    public static int run(String... args) {
        boolean debug = Arrays.asList(args).contains("--debug");
        CommandLine cli = new CommandLine(new Main());
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> report(e, cmd.getErr(), debug));
        try {
            return cli.execute(args);
        } catch (Error e) { // picocli passes only Exceptions to the handler; out of memory ends here
            return report(e, cli.getErr(), debug);
        }
    }

    private static int report(Throwable e, PrintWriter err, boolean debug) {
        Failure f = Failure.of(e);
        err.println("trm: " + f.message());
        if (debug) e.printStackTrace(err);
        err.flush();
        return f.exitCode();
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"trm4j " + (v == null ? "dev" : v)};
        }
    }
}
