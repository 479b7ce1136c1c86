package dev.ebb.runtime;

import java.util.List;

/** A service whose name (and each tag's {@code <tag>-<name>}) a cluster should resolve to its gateway. */
public record ExposedService(String namespace, String name, List<String> tags) {

    public ExposedService {
        tags = List.copyOf(tags);
    }
}
