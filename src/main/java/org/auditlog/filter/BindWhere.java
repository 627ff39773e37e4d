package org.auditlog.filter;

import java.lang.annotation.Annotation;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.Type;
import org.jdbi.v3.sqlobject.customizer.SqlStatementCustomizerFactory;
import org.jdbi.v3.sqlobject.customizer.SqlStatementCustomizingAnnotation;
import org.jdbi.v3.sqlobject.customizer.SqlStatementParameterCustomizer;

/**
 * Puts an {@link EventWhere} into a DAO's statement: {@code <where>} (or the name given) is its whole
 * condition, {@code <whereButMetadata>} and {@code <whereMetadata>} its two halves, and its values are
 * bound. The text comes only from {@link EventWhere}, whose values are all bound parameters.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
@SqlStatementCustomizingAnnotation(BindWhere.Factory.class)
public @interface BindWhere {
    String value() default "where";

    final class Factory implements SqlStatementCustomizerFactory {
        @Override
        public SqlStatementParameterCustomizer createForParameter(Annotation annotation, Class<?> sqlObjectType,
                                                                  Method method, Parameter param, int index, Type type) {
            String name = ((BindWhere) annotation).value();
            return (statement, argument) -> {
                EventWhere where = (EventWhere) argument;
                statement.define(name, where.sql())
                        .define(name + "ButMetadata", where.sqlButMetadata())
                        .define(name + "Metadata", where.metadataSql())
                        .bindMap(where.parameters());
            };
        }
    }
}
