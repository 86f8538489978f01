package io.cdcenricher.enricher.config;

/** Where a reference table lives: RocksDB for tables larger than memory, the heap for small hot ones. */
public enum StoreType {
    ROCKSDB("rocksdb"),
    IN_MEMORY("in-memory");

    private final String yamlName;

    StoreType(String yamlName) {
        this.yamlName = yamlName;
    }

    public String yamlName() {
        return yamlName;
    }
}
