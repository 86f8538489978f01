/**
 * RocksDB settings the enricher chooses for every store: {@link io.cdcenricher.enricher.rocksdb.BoundedRocksDbMemory},
 * one memory bound for the whole process. A leaf: it depends on Kafka Streams and RocksDB only.
 */
package io.cdcenricher.enricher.rocksdb;
