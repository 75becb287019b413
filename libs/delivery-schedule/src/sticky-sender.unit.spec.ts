import { describe, expect, it } from 'vitest';
import { chooseSender, type SenderChoice, type SenderChoiceInput } from './sticky-sender.js';

const PHONE = '+15555550123';
const OURS = ['+15555550001', '+15555550002'];
const DEFAULT = '+15555550001';

describe('chooseSender (sticky sender)', () => {
  it.each<[string, Partial<SenderChoiceInput>, SenderChoice]>([
    [
      'an explicit from wins over the sticky one',
      { from: '+15555550009', lastSenderByPhone: new Map([[PHONE, '+15555550002']]) },
      { sender: '+15555550009', source: 'from' },
    ],
    [
      'no from: the number the phone last talked with, still ours (map)',
      { lastSenderByPhone: new Map([[PHONE, '+15555550002']]) },
      { sender: '+15555550002', source: 'sticky' },
    ],
    [
      'no from: the same through a lookup function',
      { lastSenderByPhone: (phone) => (phone === PHONE ? '+15555550002' : undefined) },
      { sender: '+15555550002', source: 'sticky' },
    ],
    [
      'no from: the same given the lookup result itself',
      { lastSenderByPhone: '+15555550002', senderNumbers: new Set(OURS) },
      { sender: '+15555550002', source: 'sticky' },
    ],
    [
      'the last sender is no longer one of the tenant numbers: the default',
      { lastSenderByPhone: new Map([[PHONE, '+15555550777']]) },
      { sender: DEFAULT, source: 'default' },
    ],
    [
      'no conversation before: the default',
      { lastSenderByPhone: new Map([['+15555550999', '+15555550002']]) },
      { sender: DEFAULT, source: 'default' },
    ],
    [
      'no conversation and no default: none',
      { lastSenderByPhone: null, defaultSender: null },
      { sender: null, source: 'default' },
    ],
    [
      'an empty from counts as no from',
      { from: '', lastSenderByPhone: '+15555550002' },
      { sender: '+15555550002', source: 'sticky' },
    ],
  ])('%s', (_name, overrides, expected) => {
    const input: SenderChoiceInput = {
      phone: PHONE,
      lastSenderByPhone: undefined,
      senderNumbers: OURS,
      defaultSender: DEFAULT,
      ...overrides,
    };
    expect(chooseSender(input)).toEqual(expected);
  });
});
