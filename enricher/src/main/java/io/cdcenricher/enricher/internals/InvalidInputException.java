package io.cdcenricher.enricher.internals;

/**
 * Input bytes we cannot use (malformed JSON, an unusable key). Expected in normal operation, so it is a
 * checked exception without a stack trace; the message describes the problem without quoting the input.
 */
final class InvalidInputException extends Exception {

    InvalidInputException(String detail) {
        super(detail, null, false, false);
    }

    InvalidInputException(String detail, Throwable cause) {
        super(detail, cause, false, false);
    }
}
