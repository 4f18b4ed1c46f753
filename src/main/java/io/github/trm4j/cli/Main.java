package io.github.trm4j.cli;

import io.github.trm4j.InputException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

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

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns its exit code: 0 success, 1 internal failure, 2 user error. */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setExecutionExceptionHandler(Main::handleFailure);
        return cli.execute(args);
    }

    private static int handleFailure(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InputException) {
                cmd.getErr().println("trm: " + t.getMessage());
                return 2;
            }
        }
        cmd.getErr().println("trm: internal error: " + e);
        e.printStackTrace(cmd.getErr());
        return 1;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"trm4j " + (v == null ? "dev" : v)};
        }
    }
}
