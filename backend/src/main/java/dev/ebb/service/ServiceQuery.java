package dev.ebb.service;

import java.util.Set;

/**
 * Which services a search across namespaces returns: those in the namespaces the caller reads, narrowed by the
 * optional filters.
 *
 * @param everyNamespace whether the caller reads every namespace; {@code readable} is then ignored
 * @param readable the namespaces the caller reads when it does not read every one
 * @param namespace only this namespace, or null
 * @param labels what the labels must satisfy
 * @param nameContains a case-insensitive part of the name, or null
 */
public record ServiceQuery(boolean everyNamespace, Set<String> readable, String namespace, LabelSelector labels,
        String nameContains) {

    public ServiceQuery {
        readable = Set.copyOf(readable);
        labels = labels == null ? LabelSelector.EVERYTHING : labels;
    }
}
