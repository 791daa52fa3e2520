package dev.pmj.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pmj.supervisor.ControlException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one table of error kinds and HTTP statuses, read both ways. */
class ErrorStatusTest {
  @Test
  void everyKindHasItsStatusAndComesBackFromIt() {
    assertEquals(
        Map.of(
            ControlException.Kind.NOT_FOUND, 404,
            ControlException.Kind.INVALID, 400,
            ControlException.Kind.CONFLICT, 409,
            ControlException.Kind.UNAVAILABLE, 503),
        Map.of(
            ControlException.Kind.NOT_FOUND, ErrorStatus.of(ControlException.Kind.NOT_FOUND),
            ControlException.Kind.INVALID, ErrorStatus.of(ControlException.Kind.INVALID),
            ControlException.Kind.CONFLICT, ErrorStatus.of(ControlException.Kind.CONFLICT),
            ControlException.Kind.UNAVAILABLE, ErrorStatus.of(ControlException.Kind.UNAVAILABLE)));
    for (ControlException.Kind k : ControlException.Kind.values()) {
      assertEquals(k, ErrorStatus.kindOf(ErrorStatus.of(k)), k.name());
    }
  }

  @Test
  void aBodyTooLargeIsInvalidAndAnyOtherStatusUnavailable() {
    assertEquals(ControlException.Kind.INVALID, ErrorStatus.kindOf(413));
    for (int status : new int[] {401, 403, 405, 500, 502}) {
      assertEquals(ControlException.Kind.UNAVAILABLE, ErrorStatus.kindOf(status), "" + status);
    }
  }
}
