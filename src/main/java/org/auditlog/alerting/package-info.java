/** Threshold alerts: channels, rules, evaluation, the delivery log, and the service's own operational thresholds. */
package org.auditlog.alerting;
