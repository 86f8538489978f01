package io.cdcenricher.enricher.config;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Masks values of configuration keys that look like secrets, so configuration can be logged. Errs on the
 * side of masking: a masked harmless value costs nothing, a logged password costs a rotation.
 */
public final class SecretMasker {

    public static final String MASK = "******";

    private static final Set<String> SECRET_WORDS =
            Set.of("password", "secret", "jaas", "key", "token", "credentials", "credential", "apikey");
    private static final Set<String> SAFE_SUFFIXES = Set.of("serde", "serializer", "deserializer");

    private SecretMasker() {
    }

    /** True when the value under {@code key} must never be logged. */
    public static boolean isSecretKey(String key) {
        String lower = key.toLowerCase(Locale.ROOT);
        if (lower.contains("password") || lower.contains("secret") || lower.contains("sasl.jaas.config")
                || lower.contains("user.info")) {
            return true;
        }
        String[] segments = lower.split("[._-]");
        if (SAFE_SUFFIXES.contains(segments[segments.length - 1])) {
            return false;
        }
        for (String segment : segments) {
            if (SECRET_WORDS.contains(segment)) {
                return true;
            }
        }
        return false;
    }

    /** A sorted copy with secret-looking values replaced by {@link #MASK}. */
    public static Map<String, String> masked(Map<?, ?> config) {
        Map<String, String> out = new TreeMap<>();
        config.forEach((k, v) -> {
            String key = String.valueOf(k);
            out.put(key, isSecretKey(key) ? MASK : String.valueOf(v));
        });
        return out;
    }
}
