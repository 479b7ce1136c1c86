/** Issue 15's resilience scenarios: the drivers both the fast tests and the long suite ({@code ResilienceSuite}) run. */
package dev.ebb.resilience;
