import { ConsentStandingReplica } from '@textplane/replicas';

/**
 * Messaging's replica of the consent ledger, checked right before every carrier call: it keeps
 * the inbound opt-outs the ledger has not confirmed yet, under an advisory lock per recipient
 * that the compliance gate takes shared. An inbound STOP is written here in the transaction that
 * records the inbound text, which commits before the consent service can even read that text:
 * by the time the ledger records the revocation, no further submission to that number can start.
 */
export class ConsentView extends ConsentStandingReplica {
  constructor() {
    super({ keeps: 'gate' });
  }
}
