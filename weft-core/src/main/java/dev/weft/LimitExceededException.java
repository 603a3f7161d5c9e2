package dev.weft;

import java.io.IOException;

/**
 * Thrown by {@link TcpConnection#readUntil} and {@link TcpConnection#readLine} when no delimiter
 * came within the limit (asyncio's {@code LimitOverrunError}): the peer sent a longer line than
 * allowed, or is not speaking the expected protocol. The bytes read stay consumed.
 */
public final class LimitExceededException extends IOException {
    private static final long serialVersionUID = 1L;

    LimitExceededException(String message) {
        super(message);
    }
}
