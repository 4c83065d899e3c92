export type SecretKind =
  | 'e-mail'
  | 'phone number'
  | 'bearer token'
  | 'access token'
  | 'Telegram bot token'
  | 'binding code'
  | 'chat id'

export type SecretFinding = { kind: SecretKind; masked: string }

/**
 * What must never reach a log (DESIGN.md §5): each kind by its shape, and
 * by the JSON keys pino would print it under. The named group `secret` is
 * the part that gets masked in a report.
 */
const DETECTORS: Array<{ kind: SecretKind; pattern: RegExp }> = [
  {
    kind: 'e-mail',
    pattern: /(?<secret>[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})/g,
  },
  // International (+7 912 345-67-89) and Russian trunk (8 (912) 345-67-89) forms;
  // a bare run of digits would also match every epoch timestamp pino prints.
  {
    kind: 'phone number',
    pattern: /(?<![\w+])(?<secret>\+\d{1,3}[ (-]*\d{3}[ )-]*\d{3}[ -]*\d{2}[ -]*\d{2})(?!\d)/g,
  },
  {
    kind: 'phone number',
    pattern: /(?<![\w+])(?<secret>8[ (-]+9\d{2}[ )-]+\d{3}[ -]?\d{2}[ -]?\d{2})(?!\d)/g,
  },
  {
    kind: 'phone number',
    pattern: /"phone(?:_?number)?"\s*:\s*"(?<secret>[^"[\]]{5,})"/gi,
  },
  {
    kind: 'Telegram bot token',
    pattern: /(?<!\d)(?<secret>\d{5,12}:[A-Za-z0-9_-]{30,})/g,
  },
  { kind: 'bearer token', pattern: /\bBearer\s+(?<secret>[A-Za-z0-9._~+/-]{8,}=*)/gi },
  { kind: 'access token', pattern: /(?<![\w])(?<secret>clb_[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{10,})/g },
  {
    kind: 'access token',
    pattern:
      /"(?:token|access_?token|authorization|x-api-key)"\s*:\s*"(?!\[redacted\])(?<secret>[^"]{8,})"/gi,
  },
  {
    kind: 'binding code',
    pattern: /(?:[?&]start=|\/start\s+)(?<secret>[A-Za-z0-9_-]{16,})/g,
  },
  {
    kind: 'binding code',
    pattern: /"(?:code|binding_?code)"\s*:\s*"(?<secret>[A-Za-z0-9_-]{32})"/gi,
  },
  {
    kind: 'chat id',
    pattern: /"?\bchat_?id"?\s*[:=]\s*"?(?<secret>-?\d{3,})/gi,
  },
  { kind: 'chat id', pattern: /"chat"\s*:\s*\{\s*"id"\s*:\s*(?<secret>-?\d+)/g },
]

/**
 * Every secret in one log line, masked: the report names the kind and a
 * hint of where it is, never the secret.
 */
export function findSecrets(line: string): SecretFinding[] {
  const findings: SecretFinding[] = []
  const covered: Array<[number, number]> = []
  for (const { kind, pattern } of DETECTORS) {
    for (const match of line.matchAll(pattern)) {
      const secret = match.groups!.secret
      const start = match.index + match[0].indexOf(secret)
      const end = start + secret.length
      // A bot token in a chat-id-looking key, or a token inside a Bearer
      // header, is one finding, not two.
      if (covered.some(([from, to]) => start < to && end > from)) {
        continue
      }
      covered.push([start, end])
      findings.push({ kind, masked: mask(secret) })
    }
  }
  return findings
}

/**
 * Enough to tell two findings apart, too little to use: the first two
 * characters and the length.
 */
export function mask(secret: string) {
  return `${secret.slice(0, 2)}…(${secret.length} chars)`
}
