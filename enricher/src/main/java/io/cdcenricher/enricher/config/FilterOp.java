package io.cdcenricher.enricher.config;

/** The comparison of a {@link FilterConfig}. */
public enum FilterOp {
    EQ("eq"),
    NE("ne"),
    GT("gt"),
    GTE("gte"),
    LT("lt"),
    LTE("lte"),
    /** The field is present and not JSON {@code null}; takes no value. */
    EXISTS("exists");

    private final String yamlName;

    FilterOp(String yamlName) {
        this.yamlName = yamlName;
    }

    public String yamlName() {
        return yamlName;
    }

    /** Whether the operator orders values, so only numbers make sense on both sides. */
    public boolean isOrdering() {
        return this == GT || this == GTE || this == LT || this == LTE;
    }
}
