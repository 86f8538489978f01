package io.cdcenricher.enricher.avro;

/** A value that does not fit an Avro schema; the message starts with the field path. */
public final class AvroConversionException extends RuntimeException {

    private final String path;

    public AvroConversionException(String path, String problem) {
        super((path.isEmpty() ? "the record" : "field '" + path + "'") + " " + problem);
        this.path = path;
    }

    /** The dotted path of the field ({@code customer.tier}); empty for the whole record. */
    public String path() {
        return path;
    }
}
