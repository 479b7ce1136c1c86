/** The last hour of each revision's load and instance counts, as the autoscaler saw them every round, kept in memory for the dashboard's charts. */
package dev.ebb.metrics;
