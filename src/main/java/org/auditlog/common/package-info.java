/** What every endpoint shares: the error shape and its mappers, request ids, size-limited JSON body reading, timestamps. */
package org.auditlog.common;
