package dev.weft;

/** When {@link Tasks#wait} returns (asyncio's {@code return_when}). */
public enum WaitMode {
    /** As soon as any task has ended. */
    FIRST_COMPLETED,
    /** As soon as any task has failed, or when all have ended. Cancellation is not a failure. */
    FIRST_EXCEPTION,
    /** When all tasks have ended. */
    ALL_COMPLETED
}
