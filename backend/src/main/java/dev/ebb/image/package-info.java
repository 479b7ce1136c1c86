/** Resolves the image a revision names by tag to the digest its instances run, through the OCI Distribution API. */
package dev.ebb.image;
