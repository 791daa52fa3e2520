/**
 * Running the model: {@link dev.pmj.supervisor.Supervisor} runs the processes (commands, snapshot,
 * the event stream, metrics of process trees); one {@code ProcessSupervisor} per process owns its
 * state machine on a mailbox, and a {@code Run} does the I/O of one run of it; {@code Dependencies}
 * decides what starts when; the OS, time and threads arrive through {@code Services} and {@code
 * Workers}, so tests drive the state machine on fakes; {@link dev.pmj.supervisor.LogStore} keeps
 * the recent lines of every process with one {@code seq}; {@link dev.pmj.supervisor.Control} is
 * what every view and command source drives (in the process: {@link
 * dev.pmj.supervisor.LocalControl}), and {@link dev.pmj.supervisor.Messages} the words pmj says
 * about events. Pure policy (restart decision, backoff, start order, line splitting) sits in small
 * classes tested without processes. Uses {@code config}'s model and {@code os}.
 */
package dev.pmj.supervisor;
