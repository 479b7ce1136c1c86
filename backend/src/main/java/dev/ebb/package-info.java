/** Ebb's entry point; each sub-package is one feature of the control plane. */
package dev.ebb;
