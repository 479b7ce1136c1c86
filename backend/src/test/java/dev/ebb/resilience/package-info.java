/**
 * Issue 15's resilience scenarios, written once ({@code ResilienceScenarios}) and run against the local runtime
 * ({@code ResilienceSuite}) and the Kubernetes driver ({@code KubernetesResilienceSuite}), and the drivers of the fast
 * ones that ordinary tests also run.
 */
package dev.ebb.resilience;
