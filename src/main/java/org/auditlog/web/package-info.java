/** What every HTTP request goes through: request ids, reading JSON bodies, and turning rejections and failures into answers. */
package org.auditlog.web;
