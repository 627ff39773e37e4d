/**
 * One filter language for every reader of the log: the filter record, its parser (query
 * parameters, a JSON object, a stored filter) and its one translation to SQL. No HTTP here.
 */
package org.auditlog.filter;
