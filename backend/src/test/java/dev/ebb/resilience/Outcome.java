package dev.ebb.resilience;

/**
 * One scenario's row in RELIABILITY.md.
 *
 * @param scenario the number and name of the scenario
 * @param load what ran against Ebb meanwhile
 * @param fault what was done to it
 * @param sent requests sent (or cases, writes, attempts, as the scenario counts them)
 * @param failed requests that got an error they should not have, or broke mid-way
 * @param lost requests sent that never got an answer, or committed writes missing afterwards
 * @param recovery how long until Ebb was back to normal, in words and figures
 * @param notes the other figures the scenario measured
 */
record Outcome(String scenario, String load, String fault, long sent, long failed, long lost, String recovery, String notes) {
}
