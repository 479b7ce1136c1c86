/** Translation between Knative Serving's {@code serving.knative.dev/v1} Service manifests and Ebb's service document, both ways, free of Spring and I/O. */
package dev.ebb.knative;
