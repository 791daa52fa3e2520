package dev.pmj.api;

import dev.pmj.supervisor.Control;

/** The control contract in the process: what the console drives. */
class LocalControlTest extends ControlContract {
  @Override
  Control control(Stack stack) {
    return stack.local;
  }
}
