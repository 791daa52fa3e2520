/**
 * How lines look and where plain output goes: the line format (prefix, colors, timestamps), pmj's
 * own messages about events, and the single plain writer for pipes, files and terminals without the
 * console. A view: it uses the supervisor's public surface and {@code config}'s model.
 */
package dev.pmj.output;
