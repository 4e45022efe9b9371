package org.relulearn.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code relulearn sweep <algorithm> --grid FILE}: many independent runs as parallel Spark tasks. */
@Command(name = "sweep", mixinStandardHelpOptions = true, description = "Run a grid of independent runs as parallel Spark tasks.",
        subcommands = {SweepGateCommand.class, CommandLine.HelpCommand.class})
public final class SweepCommand implements Runnable {
    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
