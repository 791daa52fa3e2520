package dev.pmj.convert;

/**
 * A memory limit as an engine spells it: in the largest binary unit that holds it exactly (powers
 * of 1,024, like pmj's sizes). The engines agree on the units and differ in their names.
 *
 * @param gib the name of 1,024³ bytes
 * @param mib the name of 1,024² bytes
 * @param kib the name of 1,024 bytes
 * @param bytes what follows a number of bytes
 */
record MemoryUnits(String gib, String mib, String kib, String bytes) {
  /** Docker's (Compose's mem_limit): b, k, m, g. */
  static final MemoryUnits DOCKER = new MemoryUnits("g", "m", "k", "b");

  /** systemd's MemoryMax=: K, M, G, bytes as a bare number. */
  static final MemoryUnits SYSTEMD = new MemoryUnits("G", "M", "K", "");

  /** Kubernetes' binary quantities: Ki, Mi, Gi, bytes as a bare number. */
  static final MemoryUnits KUBERNETES = new MemoryUnits("Gi", "Mi", "Ki", "");

  /** {@code n} bytes in these units: 512Mi, 1G, 1536k, 1000b. */
  String format(long n) {
    if (n % (1L << 30) == 0) return n / (1L << 30) + gib;
    if (n % (1L << 20) == 0) return n / (1L << 20) + mib;
    if (n % (1L << 10) == 0) return n / (1L << 10) + kib;
    return n + bytes;
  }
}
