package org.relulearn.cli;

import java.io.PrintWriter;
import org.relulearn.error.UserInputException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The relulearn command line: {@code relulearn <command> [options]}. Exit codes: 0 success,
 * 2 bad input (the message names the cause and the fix), 1 internal failure.
 */
@Command(name = "relulearn", mixinStandardHelpOptions = true, versionProvider = ReluLearn.Version.class,
        description = "Provable training of shallow ReLU networks on Apache Spark.",
        subcommands = {DemoCommand.class, GenerateCommand.class, MomentsCommand.class, TrainCommand.class, EvaluateCommand.class,
                SweepCommand.class, ExperimentCommand.class, InfoCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class ReluLearn implements Runnable {

    @Option(names = "--config", scope = CommandLine.ScopeType.INHERIT, paramLabel = "FILE",
            description = "Properties or YAML file with option defaults (the command line wins).")
    java.nio.file.Path config;

    @Option(names = {"-v", "--verbose"}, scope = CommandLine.ScopeType.INHERIT,
            description = "Print stack traces for errors.")
    boolean verbose;

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        int code = execute(args);
        // In a YARN application master (cluster deploy mode) the driver must return from main on
        // success: Spark marks an application whose main calls System.exit -- even with 0 -- as
        // failed ("exited early"). Elsewhere exit, so no stray non-daemon thread keeps the JVM alive.
        if (code != 0 || System.getenv("CONTAINER_ID") == null) System.exit(code);
    }

    /** Runs the CLI and returns the exit code (tests call this). */
    public static int execute(String... args) {
        boolean verbose = java.util.Arrays.asList(args).contains("--verbose") || java.util.Arrays.asList(args).contains("-v");
        CommandLine cli = new CommandLine(new ReluLearn());
        try {
            ConfigFile cfg = ConfigFile.fromArgs(args);
            if (cfg != null) {
                cfg.checkKeys(cli);
                cli.setDefaultValueProvider(cfg);
            }
        } catch (UserInputException e) {
            System.err.println("error: " + e.getMessage());
            return 2;
        }
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> handle(ex, cmd.getErr(), verbose));
        return cli.execute(args);
    }

    static int handle(Exception ex, PrintWriter err, boolean verbose) {
        Throwable user = userCause(ex);
        if (user != null) {
            err.println("error: " + user.getMessage());
            if (verbose) ex.printStackTrace(err);
            err.flush();
            return 2;
        }
        err.println("internal error: " + ex + (verbose ? "" : " (run with --verbose for the stack trace)"));
        if (verbose) ex.printStackTrace(err);
        err.flush();
        return 1;
    }

    /**
     * The first cause in the chain that is a user-input problem, or null. A task failure whose
     * UserInputException Spark passed on only as text is recognised by that text.
     */
    static Throwable userCause(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof UserInputException || c instanceof IllegalArgumentException) return c;
            if (c.getCause() == c) break;
        }
        return UserInputException.findIn(t);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = ReluLearn.class.getPackage().getImplementationVersion();
            return new String[] {"relulearn " + (v == null ? "(development build)" : v)};
        }
    }
}
