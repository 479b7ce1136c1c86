/** Secrets at rest: AES-256-GCM encryption of stored credentials with configured, rotatable keys. */
package dev.ebb.secrets;
