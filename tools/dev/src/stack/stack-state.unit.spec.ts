import { describe, expect, it } from 'vitest';
import { parseStackState, type StackState } from './stack-state.js';

const state: StackState = {
  urls: {
    gatewayHttp: 'http://127.0.0.1:8080',
    gatewayGrpc: '127.0.0.1:50051',
    messagingHttp: 'http://127.0.0.1:8081',
    consentHttp: 'http://127.0.0.1:8083',
    registrationHttp: 'http://127.0.0.1:8085',
    billingHttp: 'http://127.0.0.1:8087',
    carrierSim: 'http://127.0.0.1:4010',
  },
  demo: { tenantId: '5eed0000-de70-4000-8000-000000000001', apiKey: 'tp_demo_x' },
  adminToken: 'tp_admin_y',
  pids: { gateway: 10, messaging: 11, consent: 13, 'carrier-sim': 12 },
};

describe('parseStackState', () => {
  it('reads back what dev.ts writes', () => {
    expect(parseStackState(JSON.stringify(state))).toEqual(state);
  });

  it('drops pids that are not positive integers', () => {
    const text = JSON.stringify({
      ...state,
      pids: { gateway: -1, messaging: '11', consent: 1.5, 'carrier-sim': 12 },
    });
    expect(parseStackState(text)?.pids).toEqual({ 'carrier-sim': 12 });
  });

  it('is undefined for a partial or foreign file', () => {
    expect(parseStackState('{"urls":')).toBeUndefined();
    expect(parseStackState(JSON.stringify({ ...state, adminToken: 3 }))).toBeUndefined();
    expect(parseStackState(JSON.stringify({ urls: state.urls }))).toBeUndefined();
  });
});
