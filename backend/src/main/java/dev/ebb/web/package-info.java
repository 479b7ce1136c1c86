/** HTTP plumbing shared by the API's controllers: problem responses, request ids, size limits, paging and preconditions. */
package dev.ebb.web;
