/** Runs revisions on a cluster: decides how many instances each revision needs and reconciles that through a runtime driver. */
package dev.ebb.runtime;
