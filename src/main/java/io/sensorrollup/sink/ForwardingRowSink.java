package io.sensorrollup.sink;

/** A decorator of a {@link RowSink}: adds one concern to its writes, and is otherwise the sink it wraps. */
public abstract class ForwardingRowSink implements RowSink {

    protected final RowSink sink;

    protected ForwardingRowSink(RowSink sink) {
        this.sink = sink;
    }

    @Override
    public String name() {
        return sink.name();
    }

    @Override
    public boolean refusesContent(Throwable failure) {
        return sink.refusesContent(failure);
    }
}
