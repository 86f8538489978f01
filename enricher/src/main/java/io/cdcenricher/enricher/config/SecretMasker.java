package io.cdcenricher.enricher.config;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Masks values of configuration keys that look like secrets, so configuration can be logged. Errs on the
 * side of masking: a masked harmless value costs nothing, a logged password costs a rotation.
 *
 * <p>{@code sasl.jaas.config} is the one setting that carries a password inside a longer value
 * ({@code ScramLoginModule required username="u" password="p";}); it is masked whole, under any prefix
 * ({@code main.consumer.sasl.jaas.config}, {@code admin.sasl.jaas.config}). A value that holds a JAAS-style
 * {@code password=} option is masked under any key too, for login-module settings under names of their own.
 */
public final class SecretMasker {

    public static final String MASK = "******";

    private static final Set<String> SECRET_WORDS =
            Set.of("password", "secret", "jaas", "key", "token", "credentials", "credential", "apikey");
    private static final Set<String> SAFE_SUFFIXES = Set.of("serde", "serializer", "deserializer");
    private static final Pattern EMBEDDED_PASSWORD = Pattern.compile("(?i)\\b(password|secret)\\s*=");

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

    /** True when the value itself holds a credential option, such as a JAAS {@code password="..."}. */
    public static boolean holdsSecret(String value) {
        return value != null && EMBEDDED_PASSWORD.matcher(value).find();
    }

    /** A sorted copy with secret-looking values (by key or by content) replaced by {@link #MASK}. */
    public static Map<String, String> masked(Map<?, ?> config) {
        Map<String, String> out = new TreeMap<>();
        config.forEach((k, v) -> {
            String key = String.valueOf(k);
            String value = String.valueOf(v);
            out.put(key, isSecretKey(key) || holdsSecret(value) ? MASK : value);
        });
        return out;
    }
}
