/** What a caller may do: roles per namespace and the permissions they carry, decided without Spring or I/O. */
package dev.ebb.access;
