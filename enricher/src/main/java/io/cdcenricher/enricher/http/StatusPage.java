package io.cdcenricher.enricher.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The status page served at {@code /}: one self-contained HTML file ({@value #RESOURCE} beside this class) whose
 * inline script fetches {@code status.json} every two seconds. Read once, at start-up, so a jar missing it fails
 * at once rather than on the first visit.
 */
public final class StatusPage {

    static final String RESOURCE = "status-page.html";
    static final String CONTENT_TYPE = "text/html; charset=utf-8";
    /**
     * The browser enforces what the page promises: nothing but its own inline style and script, and requests to
     * this server only. A page that reaches out to a CDN would leak who operates what, and break offline.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'unsafe-inline'; "
            + "style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; "
            + "form-action 'none'; frame-ancestors 'none'";

    private final byte[] html;

    private StatusPage(byte[] html) {
        this.html = html;
    }

    /** Reads the page from the classpath. */
    public static StatusPage load() {
        try (InputStream in = StatusPage.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the status page " + RESOURCE + " is missing from the classpath");
            }
            return new StatusPage(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the status page " + RESOURCE, e);
        }
    }

    /** The page's bytes (UTF-8); callers must not change them. */
    byte[] html() {
        return html;
    }
}
