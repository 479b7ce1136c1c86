/** Decides how many instances each revision needs, with Knative's KPA semantics and defaults. */
package dev.ebb.autoscaler;
