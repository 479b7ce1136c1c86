/** {@code ebb revision list|diff|logs}: a service's immutable revisions, what changed between two, and their output. */
package dev.ebb.cli.revision;
