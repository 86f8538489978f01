package io.cdcenricher.ops;

/** A failure to start, reach or stop a part of the stack, worded for the person at the terminal. */
public class StackException extends RuntimeException {
    public StackException(String message) {
        super(message);
    }

    public StackException(String message, Throwable cause) {
        super(message, cause);
    }
}
