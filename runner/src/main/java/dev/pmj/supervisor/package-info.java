/**
 * Running the model: {@link dev.pmj.supervisor.Supervisor} is the facade every view uses (commands,
 * snapshot, the event stream); one {@code ProcessSupervisor} per process owns its state machine on
 * a mailbox; pure policy (restart decision, backoff, start order, line splitting) sits in small
 * classes tested without processes. Uses {@code config}'s model and {@code os}.
 */
package dev.pmj.supervisor;
