/**
 * The one spelling of an e-mail that is stored, looked up and rate-limited:
 * trimmed, lower case, and Unicode NFC, so that `café` typed composed or
 * decomposed (as some keyboards and pastes give it) is one address, not
 * two accounts.
 */
export function normalizeEmail(email: string) {
  return email.trim().toLowerCase().normalize('NFC')
}
