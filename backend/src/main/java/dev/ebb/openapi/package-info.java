/** The OpenAPI document of the REST API: what each operation is called, answers, needs and may fail with. */
package dev.ebb.openapi;
