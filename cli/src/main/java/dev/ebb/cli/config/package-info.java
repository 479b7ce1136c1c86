/** Where the CLI finds Ebb and its token: the config file of contexts, the environment and the flags, in that order of weight. */
package dev.ebb.cli.config;
