/**
 * Weft's loop, tasks and everything a task waits on, in one package as in asyncio's and trio's
 * namespaces: {@link Weft} (run, spawn, await, sleep, timeouts, shields), {@link Loop},
 * {@link Task}, {@link TaskGroup}, {@link CancelScope}, {@link Tasks} (gather, wait, asCompleted);
 * coordination between the tasks of one loop: {@link Lock}, {@link Event}, {@link Condition},
 * {@link Semaphore} and {@link BoundedSemaphore}, {@link Barrier}, {@link CapacityLimiter},
 * {@link Queue} (FIFO, LIFO, priority), {@link Channel} and {@link Select} — asyncio's and trio's
 * primitives, with Kotlin's channels and select; networking: {@link TcpServer},
 * {@link TcpConnection} (TCP and TLS) and {@link HttpClient}; and {@link Testing}, trio's test
 * helpers. Pools of threads and processes are in {@code dev.weft.pool}.
 *
 * <p>Everything else in this package is the engine, package-private (see
 * {@code docs/architecture.md}).
 *
 * <h2>Common contract of the coordination primitives</h2>
<h2>Common contract</h2>
 * <ul>
 *   <li><b>Waiting suspends the task, never the loop.</b> Each operation that may wait
 *       ({@code acquire}, {@code await}, {@code put}, {@code get}, {@code send}, {@code receive},
 *       {@code join}, {@code select}) is a cancellation point: it throws the task's
 *       {@link CancelledException}, or a timeout's {@link DeadlineExceededException},
 *       if the task is cancelled when it is called or while it waits — even when it need not wait.
 *       It gives up the turn only when it waits. Put a {@link Timeout} around an operation
 *       to bound its wait.</li>
 *   <li><b>One fair wait queue under everything.</b> Waiting tasks are served first come, first
 *       served, and what they wait for is handed to them directly (a released lock goes to the
 *       longest waiter, not to whoever asks next).</li>
 *   <li><b>Nothing is lost to a cancellation.</b> A task cancelled while waiting leaves without
 *       having taken anything, and the tasks behind it move up. A task cancelled after it was handed
 *       a lock, a permit, an item or a wake-up, but before it ran again, passes it on to the next
 *       waiter or puts it back, and throws (as asyncio does); a putter or sender whose item was
 *       already taken returns normally and is cancelled at its next suspension point. Every item is
 *       delivered exactly once, unless it is dropped on purpose ({@code Channel.fail},
 *       {@code Queue.shutdown(true)}, a conflated channel).</li>
 *   <li><b>Each non-waiting sibling is named {@code try...}</b>: {@code tryAcquire},
 *       {@code tryPut}, {@code tryGet}, {@code trySend}, {@code tryReceive}.</li>
 *   <li><b>Statistics.</b> Each primitive has {@code statistics()}, a record of its state (holders,
 *       waiting tasks, size...).</li>
 *   <li><b>One loop at a time.</b> A primitive's state belongs to the loop whose tasks use it (no
 *       locks, no volatiles), so every method must be called from a task of that loop; any other
 *       thread gets an {@link IllegalStateException} saying to hand the work to the loop with
 *       {@code loop.submit(...)}. It may be created anywhere, and used by a later run once the
 *       earlier one has ended.</li>
 * </ul>
 */
package dev.weft;
