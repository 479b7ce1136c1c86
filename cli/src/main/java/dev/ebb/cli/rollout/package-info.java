/** {@code ebb rollout}: a service's latest rollout, and pause, resume, promote or abort for the one in progress. */
package dev.ebb.cli.rollout;
