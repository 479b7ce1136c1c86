/** Typed failures of the control plane that the API turns into RFC 9457 problem responses. */
package dev.ebb.problem;
