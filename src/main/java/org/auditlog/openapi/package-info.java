/**
 * The API's OpenAPI 3.1 document, served at {@code /api/openapi.json}: its routes and parameters read from the
 * resources Jersey serves, described by one table of operations and one file of schemas.
 */
package org.auditlog.openapi;
