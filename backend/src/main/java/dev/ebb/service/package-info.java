/** The service resource: its lifecycle over the REST API, its status, and its history for point-in-time reads. */
package dev.ebb.service;
