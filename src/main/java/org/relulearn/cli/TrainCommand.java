package org.relulearn.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code relulearn train <algorithm>}: fit one algorithm. */
@Command(name = "train", mixinStandardHelpOptions = true, description = "Train one algorithm.",
        subcommands = {TrainGateCommand.class, TrainMomentsCommand.class, TrainTensorGdCommand.class, TrainHermiteCommand.class, TrainConvexCommand.class, CommandLine.HelpCommand.class})
public final class TrainCommand implements Runnable {
    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
