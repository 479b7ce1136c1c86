/** The clusters Ebb can run revisions on: the built-in local one and registered Kubernetes clusters with their kubeconfigs. */
package dev.ebb.cluster;
