/**
 * Which control-plane replica leads: one at a time holds a lock in PostgreSQL and runs the loops that change clusters
 * (reconcilers, autoscaler, image resolution); the others serve the API and the console and take over when it goes.
 */
package dev.ebb.leadership;
