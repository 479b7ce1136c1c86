/** Progressive delivery: rolls a service's new ready revision out step by step, judges each step on the gateways' measurements, and rolls back by itself. */
package dev.ebb.rollout;
