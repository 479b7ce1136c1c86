package dev.ebb.openapi;

import io.swagger.v3.core.jackson.TypeNameResolver;

/**
 * Names a nested type's schema after its enclosing type too ({@code ServiceView.Metadata}): by simple name alone,
 * {@code ServiceView.Metadata} and {@code RevisionView.Metadata} would share one schema and the document would be
 * wrong for one of them.
 */
final class NestedTypeNames extends TypeNameResolver {

    @Override
    protected String getNameOfClass(Class<?> type) {
        Class<?> enclosing = type.getEnclosingClass();
        if (enclosing != null && type.isMemberClass()) {
            return getNameOfClass(enclosing) + "." + type.getSimpleName();
        }
        return super.getNameOfClass(type);
    }
}
