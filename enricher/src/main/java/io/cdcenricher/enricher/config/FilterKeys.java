package io.cdcenricher.enricher.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.List;

/** The keys of {@code filter}: the one predicate events of some types must pass. */
public final class FilterKeys {

    public static final ConfigSection SECTION = ConfigSection.of(RootKeys.FILTER);

    public static final ConfigKey<List<String>> APPLIES_TO = SECTION.key("appliesTo", ValueType.TEXT_LIST)
            .defaultDescription("every type of `event.types`")
            .doc("the event types the filter applies to; the others pass straight through")
            .define();
    public static final ConfigKey<String> FIELD = SECTION.key("field", ValueType.TEXT)
            .required()
            .check(Check.fieldPath())
            .doc("dotted path of the compared event field (the filter runs before the joins)")
            .define();
    public static final ConfigKey<FilterOp> OP = SECTION.key("op", ValueType.oneOf(FilterOp.class, FilterOp::yamlName))
            .required("one of: " + String.join(", ", Arrays.stream(FilterOp.values()).map(FilterOp::yamlName)
                    .toList()))
            .doc("the comparison; `exists`: the field is present and not `null`")
            .define();
    public static final ConfigKey<JsonNode> VALUE = SECTION.key("value", ValueType.NUMBER_OR_TEXT)
            .defaultDescription("required unless `op: exists`")
            .doc("the value compared with; a number with `gt`, `gte`, `lt`, `lte`")
            .define();

    private FilterKeys() {
    }
}
