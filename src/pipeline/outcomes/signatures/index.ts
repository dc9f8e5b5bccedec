export {
  canonicalSalesforceId,
  createSalesforceOrganizationCheck,
  type SalesforceOrganizationCheck,
  salesforceIdSuffix,
  toSalesforceId18,
} from './salesforce-organization-id.ts';
export {
  constantTimeEqual,
  type HeaderSource,
  type RawBody,
  readHeader,
  type SignatureFailureReason,
  type SignatureVerification,
} from './signature-verification.ts';
export {
  type BasicAuthCredentials,
  type BasicAuthVerifier,
  createBasicAuthVerifier,
} from './verify-basic-auth.ts';
export {
  computeHubSpotSignature,
  createHubSpotVerifier,
  decodeHubSpotUri,
  defaultHubSpotToleranceMs,
  type HubSpotRequestVerifier,
  type HubSpotSignatureInput,
  type HubSpotVerifierOptions,
  hubSpotSignatureHeader,
  hubSpotTimestampHeader,
  verifyHubSpotSignature,
} from './verify-hubspot-signature.ts';
export {
  createSendGridVerifier,
  defaultSendGridToleranceSeconds,
  parseSendGridPublicKey,
  type SendGridRequestVerifier,
  type SendGridSignatureInput,
  type SendGridVerifierOptions,
  sendGridSignatureHeader,
  sendGridTimestampHeader,
  verifySendGridSignature,
} from './verify-sendgrid-signature.ts';
export {
  computeStandardWebhookSignature,
  createStandardWebhookVerifier,
  defaultStandardWebhookToleranceSeconds,
  parseStandardWebhookSecret,
  type StandardWebhookInput,
  type StandardWebhookRequestVerifier,
  type StandardWebhookVerifierOptions,
  standardWebhookIdHeader,
  standardWebhookSignatureHeader,
  standardWebhookTimestampHeader,
  verifyStandardWebhook,
} from './verify-standard-webhook.ts';
