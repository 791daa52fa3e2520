package dev.pmj.os;

import java.lang.invoke.MethodHandle;
import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.util.Optional;

/**
 * Marks file descriptors close-on-exec, so that children do not start with them. The JDK opens
 * pipes without that flag and relies on each new child to close every descriptor it got, one by
 * one, after listing them: a child of a pmj with 1,000 output pipes lists and closes 1,000, and the
 * kernel, when it reaps the child, drops the 1,000 /proc entries that listing made. Starting and
 * stopping 1,000 children was quadratic in their number (500 starts beside 1,000 open pipes: 3.1 s
 * instead of 0.8, their exits 1 s instead of 0.1).
 *
 * <p>Java has no call for it: this calls {@code fcntl} through the foreign function API, on Java 22
 * or newer and only when pmj may call native code without a warning ({@code
 * --enable-native-access}, which the launcher gives). pmj is built for Java 17, so the API is
 * reached by reflection. Elsewhere nothing is marked, and children close the descriptors
 * themselves, as before.
 */
final class CloseOnExec {
  private static final int F_SETFD = 2;
  private static final int FD_CLOEXEC = 1;

  private static final MethodHandle FCNTL = fcntl();

  private CloseOnExec() {}

  /** Whether descriptors can be marked here. */
  static boolean available() {
    return FCNTL != null;
  }

  /** Marks {@code fd} close-on-exec; false when it could not be marked. */
  static boolean mark(int fd) {
    if (FCNTL == null || fd < 0) return false;
    try {
      return (int) FCNTL.invokeExact(fd, F_SETFD, FD_CLOEXEC) == 0;
    } catch (Throwable e) {
      return false;
    }
  }

  /** {@code int fcntl(int, int, ...)} as a method handle (int, int, int) int, or null. */
  private static MethodHandle fcntl() {
    if (Runtime.version().feature() < 22 || Platform.isWindows()) return null;
    try {
      Method enabled = Module.class.getMethod("isNativeAccessEnabled");
      if (!(Boolean) enabled.invoke(CloseOnExec.class.getModule())) return null;
      Class<?> linkerType = Class.forName("java.lang.foreign.Linker");
      Class<?> optionType = Class.forName("java.lang.foreign.Linker$Option");
      Class<?> lookupType = Class.forName("java.lang.foreign.SymbolLookup");
      Class<?> segmentType = Class.forName("java.lang.foreign.MemorySegment");
      Class<?> layoutType = Class.forName("java.lang.foreign.MemoryLayout");
      Class<?> descriptorType = Class.forName("java.lang.foreign.FunctionDescriptor");
      Object linker = linkerType.getMethod("nativeLinker").invoke(null);
      Object lookup = linkerType.getMethod("defaultLookup").invoke(linker);
      Optional<?> symbol =
          (Optional<?>) lookupType.getMethod("find", String.class).invoke(lookup, "fcntl");
      if (symbol.isEmpty()) return null;
      Object jint = Class.forName("java.lang.foreign.ValueLayout").getField("JAVA_INT").get(null);
      Object args = Array.newInstance(layoutType, 3);
      for (int i = 0; i < 3; i++) Array.set(args, i, jint);
      Object descriptor =
          descriptorType.getMethod("of", layoutType, args.getClass()).invoke(null, jint, args);
      // fcntl is variadic: its third argument is passed as C passes the variable ones.
      Object options =
          oneOf(optionType, optionType.getMethod("firstVariadicArg", int.class).invoke(null, 2));
      return (MethodHandle)
          linkerType
              .getMethod("downcallHandle", segmentType, descriptorType, options.getClass())
              .invoke(linker, symbol.get(), descriptor, options);
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      return null;
    }
  }

  private static Object oneOf(Class<?> type, Object value) {
    Object a = Array.newInstance(type, 1);
    Array.set(a, 0, value);
    return a;
  }
}
