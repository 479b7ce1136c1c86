/** Benchmarks that need the test classpath (a real kube-apiserver); run on purpose, never by the test suite. */
package dev.ebb.bench;
