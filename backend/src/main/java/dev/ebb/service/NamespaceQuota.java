package dev.ebb.service;

/**
 * How many services one namespace may hold ({@code ebb.api.max-services-per-namespace}, 1,000 by default, as a Cloud
 * Run region holds): a pipeline gone wrong cannot fill the database and every runtime with services.
 */
record NamespaceQuota(int maxServices) {
}
