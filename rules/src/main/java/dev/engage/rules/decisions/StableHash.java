package dev.engage.rules.decisions;

import java.nio.charset.StandardCharsets;

/**
 * A 64-bit hash of a text that is the same on every JVM and run (unlike {@link String#hashCode}'s
 * 32 bits, which cluster for similar ids): FNV-1a over the UTF-8 bytes, then the SplitMix64
 * finalizer so that ids differing in one character spread over the whole range.
 */
final class StableHash {
  private StableHash() {}

  static long of(String text) {
    long hash = 0xcbf29ce484222325L;
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      hash ^= b;
      hash *= 0x100000001b3L;
    }
    hash = (hash ^ (hash >>> 30)) * 0xbf58476d1ce4e5b9L;
    hash = (hash ^ (hash >>> 27)) * 0x94d049bb133111ebL;
    return hash ^ (hash >>> 31);
  }

  /** The hash as a number in [0, 1). */
  static double unit(String text) {
    return (of(text) >>> 11) * 0x1.0p-53;
  }
}
