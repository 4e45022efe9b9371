package org.relulearn.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.relulearn.error.UserInputException;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Option defaults from a {@code --config} file: Java properties ({@code .properties}) or YAML
 * ({@code .yaml}/{@code .yml}, flat or nested one level by command). A key is an option's long
 * name without dashes ({@code samples: 1000000}), optionally prefixed by the command
 * ({@code moments.samples}); the prefixed key wins. The command line wins over both.
 */
public final class ConfigFile implements CommandLine.IDefaultValueProvider {
    private final Map<String, String> values;

    private ConfigFile(Map<String, String> values) {
        this.values = values;
    }

    /** Finds --config FILE (or --config=FILE) among the raw arguments; null if absent. */
    public static ConfigFile fromArgs(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) return load(Path.of(args[i + 1]));
            if (args[i].startsWith("--config=")) return load(Path.of(args[i].substring("--config=".length())));
        }
        return null;
    }

    public static ConfigFile load(Path file) {
        if (!Files.isReadable(file)) {
            throw new UserInputException("config file " + file + " does not exist or is not readable: check the --config path");
        }
        Map<String, String> flat = new LinkedHashMap<>();
        String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        try (InputStream in = Files.newInputStream(file)) {
            if (name.endsWith(".yaml") || name.endsWith(".yml")) {
                Object tree = new ObjectMapper(new YAMLFactory()).readValue(in, Object.class);
                if (tree != null && !(tree instanceof Map)) {
                    throw new UserInputException("config file " + file + " must be a YAML mapping of option names to values");
                }
                if (tree != null) flatten("", (Map<?, ?>) tree, flat);
            } else {
                Properties p = new Properties();
                p.load(in);
                for (String k : p.stringPropertyNames()) flat.put(k.trim(), p.getProperty(k).trim());
            }
        } catch (IOException e) {
            throw new UserInputException("cannot parse config file " + file + ": " + e.getMessage());
        }
        return new ConfigFile(flat);
    }

    private static void flatten(String prefix, Map<?, ?> map, Map<String, String> out) {
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = prefix + e.getKey();
            if (e.getValue() instanceof Map<?, ?> nested) {
                flatten(key + ".", nested, out);
            } else if (e.getValue() instanceof java.util.List<?> list) {
                out.put(key, String.join(",", list.stream().map(String::valueOf).toList()));
            } else if (e.getValue() != null) {
                out.put(key, String.valueOf(e.getValue()));
            }
        }
    }

    public Map<String, String> values() { return values; }

    /**
     * Refuses keys that name no option: a flat key must be the long name of an option of some command
     * (files may be shared by several commands), a prefixed key {@code command.option} an option of that
     * command. Without this a misspelt key would be ignored silently and the run would use the default.
     */
    public void checkKeys(CommandLine root) {
        Map<String, java.util.Set<String>> byCommand = new LinkedHashMap<>();
        java.util.Set<String> any = new java.util.HashSet<>();
        collect(root, byCommand, any);
        for (String key : values.keySet()) {
            int dot = key.lastIndexOf('.');
            String command = dot < 0 ? null : key.substring(0, dot);
            String option = dot < 0 ? key : key.substring(dot + 1);
            boolean known = command == null ? any.contains(option)
                    : byCommand.containsKey(command) && byCommand.get(command).contains(option);
            if (!known) {
                throw new UserInputException("config key '" + key + "' names no option"
                        + (command != null && !byCommand.containsKey(command) ? " ('" + command + "' is not a command)" : "")
                        + ": use an option's long name without dashes (see the command's --help), optionally prefixed by"
                        + " the command name, e.g. 'samples' or 'moments.samples'");
            }
        }
    }

    private static void collect(CommandLine cmd, Map<String, java.util.Set<String>> byCommand, java.util.Set<String> any) {
        java.util.Set<String> names = byCommand.computeIfAbsent(cmd.getCommandName(), k -> new java.util.HashSet<>());
        for (OptionSpec o : cmd.getCommandSpec().options()) {
            for (String n : o.names()) {
                names.add(n.replaceFirst("^-+", ""));
                any.add(n.replaceFirst("^-+", ""));
            }
        }
        for (CommandLine sub : cmd.getSubcommands().values()) collect(sub, byCommand, any);
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec opt)) return null;
        String key = opt.longestName().replaceFirst("^-+", "");
        String command = arg.command() == null ? null : arg.command().name();
        if (command != null) {
            String v = values.get(command + "." + key);
            if (v != null) return v;
        }
        return values.get(key);
    }
}
