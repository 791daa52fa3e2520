/**
 * The operating system: the only code that spawns, signals and kills processes ({@link
 * dev.pmj.os.ProcessControl}: POSIX process groups through setsid, a watchdog that ends them if the
 * JVM dies; a process-tree fallback where groups do not exist), pmj's own termination signals, the
 * CPU time and memory of process trees ({@link dev.pmj.os.ProcessTable}: {@code /proc} on Linux),
 * and the one place that asks which OS this is. A leaf: it uses no other package of pmj.
 */
package dev.pmj.os;
