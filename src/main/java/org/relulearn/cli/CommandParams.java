package org.relulearn.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** The parameters a command ran with (every option's effective value), for params.json. */
final class CommandParams {
    private CommandParams() {}

    static Map<String, Object> of(CommandSpec spec) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("command", spec.qualifiedName());
        for (OptionSpec o : spec.options()) {
            if (o.usageHelp() || o.versionHelp()) continue;
            Object v = o.getValue();
            out.put(o.longestName().replaceFirst("^-+", ""), v == null ? null
                    : (v instanceof Number || v instanceof Boolean || v instanceof Map) ? v : String.valueOf(v));
        }
        return out;
    }
}
