/** The audit trail: who changed what, when, from where, with the state before and after, in an append-only hash chain. */
package dev.ebb.audit;
