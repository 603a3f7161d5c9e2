package dev.weft;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * An indexed binary min-heap of timers ordered by deadline, then by insertion: timers with equal
 * deadlines fire in the order they were scheduled, which keeps virtual-clock runs deterministic.
 * Removal is O(log n) because every timer knows its slot, so cancelling a timeout that did not
 * expire (the common case) costs no more than scheduling it.
 */
final class TimerHeap {
    /** The timers in slots {@code [0, size)}; null above. */
    private @Nullable Timer[] heap = new Timer[16];
    private int size;
    private long nextSeq;

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    @Nullable Timer peek() {
        return size == 0 ? null : heap[0];
    }

    void add(Timer t, long deadline) {
        if (t.index >= 0) {
            throw new IllegalStateException("timer is already scheduled");
        }
        t.deadline = deadline;
        t.seq = nextSeq++;
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        heap[size] = t;
        t.index = size;
        size++;
        siftUp(t.index);
    }

    /** Removes the timer if it is scheduled; returns whether it was. */
    boolean remove(Timer t) {
        int i = t.index;
        if (i < 0) {
            return false;
        }
        t.index = -1;
        size--;
        if (i != size) {
            Timer last = at(size);
            heap[i] = last;
            last.index = i;
            heap[size] = null;
            siftDown(i);
            if (at(i) == last) {
                siftUp(i);
            }
        } else {
            heap[size] = null;
        }
        return true;
    }

    Timer poll() {
        Timer t = at(0);
        remove(t);
        return t;
    }

    @SuppressWarnings("NullAway") // the slots below size always hold a timer
    private Timer at(int i) {
        return heap[i];
    }

    private static boolean less(Timer a, Timer b) {
        return a.deadline < b.deadline || (a.deadline == b.deadline && a.seq < b.seq);
    }

    private void siftUp(int i) {
        Timer t = at(i);
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            Timer p = at(parent);
            if (!less(t, p)) {
                break;
            }
            heap[i] = p;
            p.index = i;
            i = parent;
        }
        heap[i] = t;
        t.index = i;
    }

    private void siftDown(int i) {
        Timer t = at(i);
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < size && less(at(right), at(child))) {
                child = right;
            }
            if (!less(at(child), t)) {
                break;
            }
            heap[i] = at(child);
            at(i).index = i;
            i = child;
        }
        heap[i] = t;
        t.index = i;
    }
}
