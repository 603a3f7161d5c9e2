package dev.weft.pool;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The items or the results of a map's chunk on their way to or from a worker process: written as
 * plain numbers when they are all {@code Integer}s, {@code Long}s or {@code Double}s (a map's usual
 * load, and many times faster than Java serialization of boxed numbers), else object by object.
 */
final class Values implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    private static final byte OBJECTS = 0;
    private static final byte INTS = 1;
    private static final byte LONGS = 2;
    private static final byte DOUBLES = 3;

    private transient List<Object> list;

    /** Values over {@code list}, which is not copied: it must not change while a worker may read it. */
    @SuppressWarnings("unchecked")
    Values(List<?> list) {
        this.list = (List<Object>) list;
    }

    List<Object> list() {
        return list;
    }

    /** The values of {@code first} then those of {@code second}. */
    static Values concat(Values first, Values second) {
        List<Object> all = new ArrayList<>(first.list.size() + second.list.size());
        all.addAll(first.list);
        all.addAll(second.list);
        return new Values(all);
    }

    private static byte kindOf(List<Object> list) {
        if (list.isEmpty()) {
            return OBJECTS;
        }
        Class<?> c = list.get(0) == null ? null : list.get(0).getClass();
        for (Object o : list) {
            if (o == null || o.getClass() != c) {
                return OBJECTS;
            }
        }
        return c == Integer.class ? INTS : c == Long.class ? LONGS : c == Double.class ? DOUBLES : OBJECTS;
    }

    @Serial
    private void writeObject(ObjectOutputStream out) throws IOException {
        byte kind = kindOf(list);
        out.writeByte(kind);
        out.writeInt(list.size());
        for (Object o : list) {
            switch (kind) {
                case INTS -> out.writeInt((Integer) o);
                case LONGS -> out.writeLong((Long) o);
                case DOUBLES -> out.writeDouble((Double) o);
                default -> out.writeObject(o);
            }
        }
    }

    @Serial
    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        byte kind = in.readByte();
        int n = in.readInt();
        list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(switch (kind) {
                case INTS -> in.readInt();
                case LONGS -> in.readLong();
                case DOUBLES -> in.readDouble();
                default -> in.readObject();
            });
        }
    }
}
