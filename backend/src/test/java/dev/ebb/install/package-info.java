/** Checks the install under {@code k8s/}: rendered with kubectl's kustomize and accepted by a real Kubernetes API server. */
package dev.ebb.install;
