package dev.ebb.cli.output;

/** The {@code -o} choices. */
public enum Format {
    TABLE, JSON, YAML
}
