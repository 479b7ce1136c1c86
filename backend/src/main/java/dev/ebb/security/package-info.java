/** Who may call the API: bearer tokens stored hashed, the bootstrap admin token, and the rules that deny by default. */
package dev.ebb.security;
