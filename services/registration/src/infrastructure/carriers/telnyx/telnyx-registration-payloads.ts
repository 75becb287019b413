import type {
  BrandDetails,
  CampaignDetails,
  TollFreeVerificationDetails,
} from '@textplane/contracts';
import type { Telnyx } from 'telnyx';

type BrandCreateParams = Telnyx.Messaging10dlc.BrandCreateParams;
type CampaignBuilderSubmitParams = Telnyx.Messaging10dlc.CampaignBuilderSubmitParams;
type TollFreeVerificationParams = Telnyx.MessagingTollfree.Verification.RequestCreateParams;

/**
 * textplane's brand and campaign bodies to Telnyx's request bodies. The names are Telnyx's
 * already (issue 12: "field names follow Telnyx's"), so the mapping is what differs: the
 * campaign's `sampleMessages` array becomes `sample1`..`sample5`, keyword arrays become
 * Telnyx's comma-separated strings, and textplane's campaign id is the `referenceId` Telnyx
 * keeps unique ("can be used to prevent duplicate campaign registrations").
 */

export function brandCreateParamsOf(
  brand: BrandDetails,
  webhookUrl: string | undefined,
): BrandCreateParams {
  return {
    entityType: brand.entityType as BrandCreateParams['entityType'],
    displayName: brand.displayName,
    country: brand.country,
    email: brand.email,
    vertical: brand.vertical as BrandCreateParams['vertical'],
    phone: brand.phone,
    street: brand.street,
    city: brand.city,
    state: brand.state,
    postalCode: brand.postalCode,
    ...optional('companyName', brand.companyName),
    ...optional('ein', brand.ein),
    ...optional('website', brand.website),
    ...optional('stockSymbol', brand.stockSymbol),
    ...(brand.stockExchange
      ? { stockExchange: brand.stockExchange as BrandCreateParams['stockExchange'] }
      : {}),
    ...optional('businessContactEmail', brand.businessContactEmail),
    ...optional('firstName', brand.firstName),
    ...optional('lastName', brand.lastName),
    ...optional('mobilePhone', brand.mobilePhone),
    ...optional('webhookURL', webhookUrl),
  };
}

export function campaignSubmitParamsOf(
  campaignId: string,
  carrierBrandId: string,
  campaign: CampaignDetails,
  webhookUrl: string | undefined,
): CampaignBuilderSubmitParams {
  const samples = Object.fromEntries(
    campaign.sampleMessages.slice(0, 5).map((text, i) => [`sample${i + 1}`, text]),
  ) as Pick<CampaignBuilderSubmitParams, 'sample1' | 'sample2' | 'sample3' | 'sample4' | 'sample5'>;
  return {
    brandId: carrierBrandId,
    usecase: campaign.usecase,
    description: campaign.description,
    messageFlow: campaign.messageFlow,
    ...samples,
    helpMessage: campaign.helpMessage,
    ...optional('optinMessage', campaign.optinMessage),
    optoutMessage: campaign.optoutMessage,
    helpKeywords: campaign.helpKeywords.join(','),
    ...(campaign.optinKeywords.length > 0
      ? { optinKeywords: campaign.optinKeywords.join(',') }
      : {}),
    optoutKeywords: campaign.optoutKeywords.join(','),
    subscriberHelp: true,
    subscriberOptin: campaign.optinKeywords.length > 0 || campaign.optinMessage !== undefined,
    subscriberOptout: true,
    embeddedLink: campaign.embeddedLink,
    embeddedPhone: campaign.embeddedPhone,
    numberPool: campaign.numberPool,
    ageGated: campaign.ageGated,
    directLending: campaign.directLending,
    referenceId: campaignId,
    ...optional('webhookURL', webhookUrl),
  };
}

/**
 * A toll-free verification body to Telnyx's: the numbers and image URLs become Telnyx's object
 * arrays (`[{phoneNumber}]`, `[{url}]`), and `additionalInformation`, which Telnyx requires, is
 * sent empty when the tenant gave none.
 */
export function tollFreeVerificationParamsOf(
  verification: TollFreeVerificationDetails,
  webhookUrl: string | undefined,
): TollFreeVerificationParams {
  const v = verification;
  return {
    businessName: v.businessName,
    corporateWebsite: v.corporateWebsite,
    businessAddr1: v.businessAddr1,
    ...optional('businessAddr2', v.businessAddr2),
    businessCity: v.businessCity,
    businessState: v.businessState,
    businessZip: v.businessZip,
    businessContactFirstName: v.businessContactFirstName,
    businessContactLastName: v.businessContactLastName,
    businessContactEmail: v.businessContactEmail,
    businessContactPhone: v.businessContactPhone,
    messageVolume: v.messageVolume as TollFreeVerificationParams['messageVolume'],
    phoneNumbers: v.phoneNumbers.map((phoneNumber) => ({ phoneNumber })),
    useCase: v.useCase as TollFreeVerificationParams['useCase'],
    useCaseSummary: v.useCaseSummary,
    productionMessageContent: v.productionMessageContent,
    optInWorkflow: v.optInWorkflow,
    optInWorkflowImageURLs: v.optInWorkflowImageURLs.map((url) => ({ url })),
    additionalInformation: v.additionalInformation ?? '',
    ...(v.entityType
      ? { entityType: v.entityType as NonNullable<TollFreeVerificationParams['entityType']> }
      : {}),
    ...optional('doingBusinessAs', v.doingBusinessAs),
    ...optional('businessRegistrationNumber', v.businessRegistrationNumber),
    ...optional('businessRegistrationType', v.businessRegistrationType),
    ...optional('businessRegistrationCountry', v.businessRegistrationCountry),
    ...optional('helpMessageResponse', v.helpMessageResponse),
    ...optional('optInConfirmationResponse', v.optInConfirmationResponse),
    ...optional('optInKeywords', v.optInKeywords),
    ...optional('privacyPolicyURL', v.privacyPolicyURL),
    ...optional('termsAndConditionURL', v.termsAndConditionURL),
    ...(v.ageGatedContent === undefined ? {} : { ageGatedContent: v.ageGatedContent }),
    ...optional('webhookUrl', webhookUrl),
  };
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined || value === '' ? {} : ({ [key]: value } as Record<K, string>);
}
