/** Immutable revisions: the template snapshots a service's changes create, their status, hashes and diffs. */
package dev.ebb.revision;
