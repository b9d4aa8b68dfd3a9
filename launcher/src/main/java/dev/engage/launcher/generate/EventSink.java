package dev.engage.launcher.generate;

/** Where generated events go: the running stack's public interfaces, or files. */
public interface EventSink extends AutoCloseable {
  void accept(Emitted event);

  /** Sends or writes what is still buffered. */
  void flush();

  @Override
  void close();
}
