/** Per-namespace credentials for container registries, with passwords stored only encrypted. */
package dev.ebb.registry;
