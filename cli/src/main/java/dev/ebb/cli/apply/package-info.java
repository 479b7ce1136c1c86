/** {@code ebb apply}: sends an Ebb or Knative service document and waits for the revision it made to be ready or to fail. */
package dev.ebb.cli.apply;
