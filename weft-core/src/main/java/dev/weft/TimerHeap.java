package dev.weft;

import java.util.Arrays;

/**
 * An indexed binary min-heap of timers ordered by deadline, then by insertion: timers with equal
 * deadlines fire in the order they were scheduled, which keeps virtual-clock runs deterministic.
 * Removal is O(log n) because every timer knows its slot, so cancelling a timeout that did not
 * expire (the common case) costs no more than scheduling it.
 */
final class TimerHeap {
    private Timer[] heap = new Timer[16];
    private int size;
    private long nextSeq;

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    Timer peek() {
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
            Timer last = heap[size];
            heap[i] = last;
            last.index = i;
            heap[size] = null;
            siftDown(i);
            if (heap[i] == last) {
                siftUp(i);
            }
        } else {
            heap[size] = null;
        }
        return true;
    }

    Timer poll() {
        Timer t = heap[0];
        remove(t);
        return t;
    }

    private static boolean less(Timer a, Timer b) {
        return a.deadline < b.deadline || (a.deadline == b.deadline && a.seq < b.seq);
    }

    private void siftUp(int i) {
        Timer t = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            Timer p = heap[parent];
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
        Timer t = heap[i];
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < size && less(heap[right], heap[child])) {
                child = right;
            }
            if (!less(heap[child], t)) {
                break;
            }
            heap[i] = heap[child];
            heap[i].index = i;
            i = child;
        }
        heap[i] = t;
        t.index = i;
    }
}
