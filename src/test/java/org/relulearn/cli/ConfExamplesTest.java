package org.relulearn.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every example job configuration in {@code conf/} names real options of the command its first line
 * shows ({@code # relulearn train gate --config conf/...}) and its values parse: an example that has
 * drifted from the CLI fails here rather than in a user's hands.
 */
class ConfExamplesTest {
    @Test
    void everyExampleConfigurationParsesWithItsCommand() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(Path.of("conf"))) {
            files = s.filter(p -> p.getFileName().toString().contains("example")).sorted().toList();
        }
        assertTrue(files.size() >= 6, "one example per algorithm and the demo: " + files);
        List<String> commands = new ArrayList<>();
        for (Path f : files) {
            String first = Files.readAllLines(f).get(0);
            assertTrue(first.startsWith("# relulearn "), f + ": first line shows the command");
            String cmd = first.substring("# relulearn ".length(), first.indexOf("--config")).trim();
            commands.add(cmd);
            ConfigFile cfg = ConfigFile.load(f);
            assertFalse(cfg.values().isEmpty(), f + " sets something");
            CommandLine cli = new CommandLine(new ReluLearn());
            cfg.checkKeys(cli);
            cli.setDefaultValueProvider(cfg);
            CommandLine.ParseResult pr = cli.parseArgs(cmd.split(" "));   // converts every value
            while (pr.hasSubcommand()) pr = pr.subcommand();
            assertTrue(String.join(" ", Arrays.asList(cmd.split(" "))).endsWith(pr.commandSpec().name()), f + ": " + cmd);
        }
        for (String algo : List.of("train gate", "moments", "train tensor-gd", "train hermite", "train convex")) {
            assertTrue(commands.contains(algo), "an example job configuration for '" + algo + "': " + commands);
        }
    }
}
