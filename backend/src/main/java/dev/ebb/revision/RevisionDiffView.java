package dev.ebb.revision;

import java.util.List;

/** The answer to "what changed from revision {@code from} to revision {@code to}". */
public record RevisionDiffView(String from, String to, boolean identical, List<TemplateDiff.Change> changes) {
}
