package org.relulearn.ml;

import java.io.Serializable;
import scala.runtime.AbstractFunction1;

/**
 * Validators for Spark ML {@code Param}s whose failures say what the rule is and how to fix it.
 *
 * <p>Spark calls a param's validator on every assignment (setters, {@code ParamMap} entries,
 * {@code set(name, value)}, loading a saved model). Spark's own validators return {@code false}, which
 * yields only "parameter x given invalid value v"; these throw an {@link IllegalArgumentException}
 * that states the allowed range instead, and return {@code true} otherwise.
 */
public final class ParamChecks {
    private ParamChecks() {}

    /** A serializable validator: params travel with their owner when a stage is serialized. */
    public abstract static class Check<T> extends AbstractFunction1<T, Object> implements Serializable {
        private static final long serialVersionUID = 1L;
        private final String name;

        Check(String name) { this.name = name; }

        @Override
        public final Object apply(T value) {
            String problem = problem(value);
            if (problem != null) {
                throw new IllegalArgumentException(
                        "param " + name + " " + problem + ", got " + value + "; set " + name + " to a value in that range");
            }
            return Boolean.TRUE;
        }

        /** Null when valid, else the rule the value breaks ("must be ..."). */
        abstract String problem(T value);
    }

    /** Integer value {@code >= min}. */
    public static Check<Object> intAtLeast(String name, int min) {
        return new Check<>(name) {
            private static final long serialVersionUID = 1L;

            @Override
            String problem(Object value) {
                return value instanceof Integer i && i >= min ? null : "must be an integer >= " + min;
            }
        };
    }

    /** Finite double {@code > 0}. */
    public static Check<Object> positiveFinite(String name) {
        return new Check<>(name) {
            private static final long serialVersionUID = 1L;

            @Override
            String problem(Object value) {
                return value instanceof Double v && v > 0 && Double.isFinite(v) ? null : "must be a finite number > 0";
            }
        };
    }

    /** Finite double {@code >= 0}. */
    public static Check<Object> nonNegativeFinite(String name) {
        return new Check<>(name) {
            private static final long serialVersionUID = 1L;

            @Override
            String problem(Object value) {
                return value instanceof Double v && v >= 0 && Double.isFinite(v) ? null : "must be a finite number >= 0";
            }
        };
    }

    /** Any long (seeds accept every value; the check only rejects a wrong type). */
    public static Check<Object> anyLong(String name) {
        return new Check<>(name) {
            private static final long serialVersionUID = 1L;

            @Override
            String problem(Object value) {
                return value instanceof Long ? null : "must be a long integer";
            }
        };
    }

    /** A non-blank column name. */
    public static Check<String> columnName(String name) {
        return new Check<>(name) {
            private static final long serialVersionUID = 1L;

            @Override
            String problem(String value) {
                return value != null && !value.isBlank() ? null : "must be a non-empty column name";
            }
        };
    }

    /** One of the given strings. */
    public static Check<String> oneOf(String name, String... allowed) {
        java.util.List<String> ok = java.util.List.of(allowed);
        return new Check<>(name) {
            private static final long serialVersionUID = 1L;

            @Override
            String problem(String value) {
                return ok.contains(value) ? null : "must be one of " + ok;
            }
        };
    }
}
