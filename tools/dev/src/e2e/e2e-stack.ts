/** What end-to-end tests know of the running platform (serialisable across Vitest workers). */
export interface E2eStack {
  urls: {
    gatewayHttp: string;
    gatewayGrpc: string;
    messagingHttp: string;
    consentHttp: string;
    registrationHttp: string;
    billingHttp: string;
    carrierSim: string;
  };
  demo: { tenantId: string; apiKey: string };
  adminToken: string;
  kafkaBrokers: string[];
  /** Maintenance URL of the Postgres server, and each service's own database on it. */
  postgresUrl: string;
  databaseUrls: {
    gateway: string;
    messaging: string;
    consent: string;
    registration: string;
    billing: string;
  };
  /** PKCS#8 DER, base64: lets a test sign webhooks exactly as the carrier does. */
  webhookPrivateKey: string;
  /** POST /services/<name>/kill?signal=SIGKILL, POST /services/<name>/restart. */
  controlUrl: string;
  logFiles: Record<string, string>;
}
