package dev.pmj.api;

import dev.pmj.supervisor.Control;

/** The control contract over HTTP: what the CLI drives, through the real API. */
class HttpControlTest extends ControlContract {
  @Override
  Control control(Stack stack) throws Exception {
    return stack.serve().client();
  }
}
