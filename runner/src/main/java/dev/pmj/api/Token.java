package dev.pmj.api;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/** A run's token: made new at every start, compared in constant time. */
final class Token {
  private final String text;
  private final byte[] bytes;

  Token(String text) {
    this.text = text;
    this.bytes = text.getBytes(StandardCharsets.US_ASCII);
  }

  /** A new token of 32 random bytes. */
  static Token random() {
    return new Token(randomText());
  }

  String text() {
    return text;
  }

  /** Compares in constant time: how long it takes says nothing of how much matched. */
  boolean matches(String given) {
    return MessageDigest.isEqual(bytes, given.getBytes(StandardCharsets.US_ASCII));
  }

  /**
   * 32 random bytes, base64url without padding. A start-up trick: the system's generator is read
   * directly, as SecureRandom's default on POSIX does, without starting the security providers for
   * one read (11 ms sooner to the dashboard line on Java 25 with the start-up cache:
   * docs/startup.md).
   */
  static String randomText() {
    return randomText(32);
  }

  /** {@code n} random bytes, base64url without padding, read as {@link #randomText()} reads. */
  static String randomText(int n) {
    byte[] b = new byte[n];
    try (FileInputStream in = new FileInputStream("/dev/urandom")) {
      if (in.readNBytes(b, 0, b.length) == b.length) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
      }
    } catch (IOException e) {
      // no /dev/urandom (Windows): the provider's generator
    }
    new SecureRandom().nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
