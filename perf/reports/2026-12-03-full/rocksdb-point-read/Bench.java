import org.rocksdb.*;
import java.nio.charset.StandardCharsets;
import java.util.*;

public class Bench {
    public static void main(String[] a) throws Exception {
        RocksDB.loadLibrary();
        String variant = a[0];
        int rows = 1_000_000;
        String dir = "/tmp/rbench/db-" + variant;
        new ProcessBuilder("rm", "-rf", dir).start().waitFor();
        long bound = 256L << 20;
        LRUCache cache = new LRUCache(bound, -1, false, 0.1);
        Cache c = cache;
        if (variant.contains("hcc")) c = new HyperClockCache(bound, 0, -1, false);
        WriteBufferManager wbm = new WriteBufferManager(bound / 2, c, true);
        BlockBasedTableConfig t = new BlockBasedTableConfig();
        t.setBlockCache(c);
        t.setBlockSize(variant.contains("16k") ? 16384 : 4096);
        t.setFilterPolicy(new BloomFilter());
        t.setCacheIndexAndFilterBlocks(true);
        t.setCacheIndexAndFilterBlocksWithHighPriority(true);
        t.setPinTopLevelIndexAndFilter(true);
        if (variant.contains("hash")) { t.setDataBlockIndexType(DataBlockIndexType.kDataBlockBinaryAndHash); t.setDataBlockHashTableUtilRatio(0.75); }
        if (variant.contains("pinl0")) t.setPinL0FilterAndIndexBlocksInCache(true);
        Options o = new Options().setCreateIfMissing(true).setTableFormatConfig(t)
            .setWriteBufferSize(16L << 20).setCompressionType(CompressionType.NO_COMPRESSION)
            .setCompactionStyle(CompactionStyle.UNIVERSAL).setMaxWriteBufferNumber(3)
            .setWriteBufferManager(wbm).setIncreaseParallelism(2).setOptimizeFiltersForHits(true);
        WriteOptions w = new WriteOptions().setDisableWAL(true);
        RocksDB db = RocksDB.open(o, dir);
        Random r = new Random(1);
        byte[] v = new byte[160]; 
        for (int i = 0; i < rows; i++) {
            r.nextBytes(v);
            db.put(w, key(i), v);
        }
        db.flush(new FlushOptions().setWaitForFlush(true));
        if (variant.contains("compact")) db.compactRange(); Thread.sleep(3000); // let background compaction settle (scratch benchmark, not a test)
        System.out.println(variant + " sst: " + db.getProperty("rocksdb.num-live-versions") + " L0files=" + db.getProperty("rocksdb.num-files-at-level0") + " " + db.getLiveFilesMetaData().size() + " files " + db.getProperty("rocksdb.levelstats").replace("\n"," | "));
        int n = 3_000_000;
        for (int round = 0; round < 4; round++) {
            Random q = new Random(round);
            long t0 = System.nanoTime(); long sum = 0;
            for (int i = 0; i < n; i++) { byte[] x = db.get(key(q.nextInt(rows))); sum += x.length; }
            long ns = System.nanoTime() - t0;
            System.out.printf("%s round %d: %.0f ns/get (%d)%n", variant, round, ns / (double) n, sum);
        }
        db.close();
    }
    static byte[] key(int i) { return ("{\"id\":" + i + "}").getBytes(StandardCharsets.UTF_8); }
}
