/** Where the chosen sender came from. */
export type SenderSource = 'from' | 'sticky' | 'default';

export interface SenderChoice {
  /** The sender number, or null when there is none (no `from`, no sticky one, no default). */
  sender: string | null;
  source: SenderSource;
}

export interface SenderChoiceInput {
  /** The recipient's phone (E.164). */
  phone: string;
  /** The message's explicit `from`, if any. */
  from?: string | null | undefined;
  /**
   * The sender each phone last had a conversation with: a map, a lookup function, or the lookup's
   * answer for this phone already fetched.
   */
  lastSenderByPhone:
    | ReadonlyMap<string, string>
    | ((phone: string) => string | null | undefined)
    | string
    | null
    | undefined;
  /** The tenant's numbers now. */
  senderNumbers: ReadonlySet<string> | readonly string[];
  defaultSender: string | null | undefined;
}

function lastSenderOf(input: SenderChoiceInput): string | null | undefined {
  const known = input.lastSenderByPhone;
  if (typeof known === 'function') return known(input.phone);
  if (typeof known === 'string' || known === null || known === undefined) return known;
  return known.get(input.phone);
}

function isTenantNumber(numbers: SenderChoiceInput['senderNumbers'], sender: string): boolean {
  return numbers instanceof Set
    ? numbers.has(sender)
    : (numbers as readonly string[]).includes(sender);
}

/**
 * The sticky sender: an explicit `from` wins; else the number the phone last had a conversation
 * with, if it is still one of the tenant's numbers (a released number is not texted from); else
 * the tenant's default sender.
 */
export function chooseSender(input: SenderChoiceInput): SenderChoice {
  if (typeof input.from === 'string' && input.from !== '') {
    return { sender: input.from, source: 'from' };
  }
  const last = lastSenderOf(input);
  if (typeof last === 'string' && isTenantNumber(input.senderNumbers, last)) {
    return { sender: last, source: 'sticky' };
  }
  return { sender: input.defaultSender ?? null, source: 'default' };
}
