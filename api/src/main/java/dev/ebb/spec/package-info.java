/** The desired-state language users write (service, template, traffic) with its defaults and validation rules, free of Spring and I/O. */
package dev.ebb.spec;
