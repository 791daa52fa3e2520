package dev.pmj.api;

import dev.pmj.supervisor.Control;

/** The terminal contract in the process: what the console drives. */
class LocalTerminalTest extends TerminalContract {
  @Override
  Control control(Stack stack) {
    return stack.local;
  }
}
