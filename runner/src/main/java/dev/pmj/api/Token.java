package dev.pmj.api;

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
   * 32 random bytes from the platform's generator, base64url without padding. (Reading /dev/urandom
   * directly to skip the security providers no longer pays: docs/startup.md.)
   */
  static String randomText() {
    byte[] b = new byte[32];
    new SecureRandom().nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
