package dev.ebb.cli;

import dev.ebb.cli.output.Format;
import picocli.CommandLine.Option;

/** {@code -o table|json|yaml}. */
public final class OutputOptions {

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table", completionCandidates = Formats.class,
            description = "table (default), json or yaml: the API's document as it came, for scripts")
    Format format = Format.TABLE;

    /** The formats as they are typed. */
    static final class Formats extends java.util.ArrayList<String> {
        Formats() {
            super(java.util.List.of("table", "json", "yaml"));
        }
    }

    public Format format() {
        return format;
    }
}
