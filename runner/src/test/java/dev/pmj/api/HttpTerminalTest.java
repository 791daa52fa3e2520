package dev.pmj.api;

import dev.pmj.supervisor.Control;

/** The terminal contract over HTTP: what pmj connect drives, through the real API. */
class HttpTerminalTest extends TerminalContract {
  @Override
  Control control(Stack stack) throws Exception {
    return stack.serve().client();
  }
}
