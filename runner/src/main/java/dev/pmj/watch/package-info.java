/**
 * devMode: which files each process watches, which changes count, and when a burst of them has
 * settled into one restart. {@link dev.pmj.watch.IgnoreRules} (defaults, every {@code .gitignore},
 * {@code watchIgnore}), {@link dev.pmj.watch.Debouncer} and {@code RestartStorms} (a process that
 * changes keep restarting) are pure; {@link dev.pmj.watch.OwnFiles} names pmj's own files, never a
 * reason to restart; {@link dev.pmj.watch.TreeWatcher} is the small interface over the OS
 * (directory-watcher); {@link dev.pmj.watch.DevWatch} ties them together and reports {@link
 * dev.pmj.watch.Change}s. Uses {@code config}'s model only.
 */
package dev.pmj.watch;
