/** The services of every namespace a caller reads, one summary row each, now or at an instant: what the dashboard lists. */
package dev.ebb.overview;
