/** A service's metrics, kept in memory for the API and the console: each revision's load and instance counts over the last hour as the autoscaler saw them, and its requests over the last day as the gateways counted them (also on Prometheus). */
package dev.ebb.metrics;
