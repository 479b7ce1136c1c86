/** How commands print: aligned tables for people, the API's own documents as JSON or YAML for scripts. */
package dev.ebb.cli.output;
