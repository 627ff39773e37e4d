/**
 * The officers' console at {@code /console/}: sign-in sessions kept in the database, server-rendered
 * pages over the same services the API calls, one audit record per page an officer opens.
 */
package org.auditlog.console;
