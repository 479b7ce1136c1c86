/** The kubernetes runtime driver: a Deployment per revision and a Service per service, applied server-side through client-java. */
package dev.ebb.runtime.kubernetes;
