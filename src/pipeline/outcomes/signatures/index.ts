export {
  canonicalSalesforceId,
  createSalesforceOrganizationCheck,
  toSalesforceId18,
} from './salesforce-organization-id.ts';
export type { SignatureVerification } from './signature-verification.ts';
export { createBasicAuthVerifier } from './verify-basic-auth.ts';
export {
  createHubSpotVerifier,
  decodeHubSpotUri,
  hubSpotSignatureHeader,
  verifyHubSpotSignature,
} from './verify-hubspot-signature.ts';
export {
  createSendGridVerifier,
  parseSendGridPublicKey,
  verifySendGridSignature,
} from './verify-sendgrid-signature.ts';
export {
  createStandardWebhookVerifier,
  type StandardWebhookRequestVerifier,
  verifyStandardWebhook,
} from './verify-standard-webhook.ts';
