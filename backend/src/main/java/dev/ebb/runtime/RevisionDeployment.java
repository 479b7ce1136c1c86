package dev.ebb.runtime;

import dev.ebb.spec.Template;

/** What a driver should run for one revision: its template and how many instances. */
public record RevisionDeployment(RevisionKey key, Template template, int instances) {
}
