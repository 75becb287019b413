import { BlockList, isIP } from 'node:net';

/**
 * Which media URLs the edge takes. Messaging (and later the media importer) fetches what a
 * client names, so a URL must not make the platform reach into its own network: until the media
 * issue guards the fetch itself, the gateway refuses the obvious targets here. Host names are
 * not resolved (a name that resolves to a private address is the fetcher's to refuse); what is
 * refused is a literal address in the ranges below, and the names that always mean this host
 * or the cloud metadata service.
 */
export interface MediaUrlPolicy {
  /** MEDIA_FETCH_ALLOW_LOOPBACK: a local stack serves its media from 127.0.0.1. */
  readonly allowLoopback: boolean;
}

export const DEFAULT_MEDIA_URL_POLICY: MediaUrlPolicy = Object.freeze({ allowLoopback: false });

type AddressClass =
  'loopback' | 'private' | 'link-local' | 'unspecified' | 'multicast' | 'reserved';

function ranges(list: Array<[string, number]>): BlockList {
  const block = new BlockList();
  for (const [network, prefix] of list) {
    block.addSubnet(network, prefix, isIP(network) === 6 ? 'ipv6' : 'ipv4');
  }
  return block;
}

// BlockList also matches IPv4-mapped IPv6 addresses (::ffff:127.0.0.1) against the IPv4 ranges.
const ADDRESS_CLASSES: ReadonlyArray<[AddressClass, BlockList]> = [
  [
    'loopback',
    ranges([
      ['127.0.0.0', 8],
      ['::1', 128],
    ]),
  ],
  [
    'private',
    ranges([
      ['10.0.0.0', 8],
      ['172.16.0.0', 12],
      ['192.168.0.0', 16],
      ['100.64.0.0', 10], // carrier-grade NAT (and Alibaba's metadata address)
      ['fc00::', 7], // unique local (and AWS's IPv6 metadata address fd00:ec2::254)
    ]),
  ],
  // 169.254.169.254 is the metadata service of AWS, GCP, Azure and OpenStack.
  [
    'link-local',
    ranges([
      ['169.254.0.0', 16],
      ['fe80::', 10],
    ]),
  ],
  [
    'unspecified',
    ranges([
      ['0.0.0.0', 8],
      ['::', 128],
    ]),
  ],
  [
    'multicast',
    ranges([
      ['224.0.0.0', 4],
      ['ff00::', 8],
    ]),
  ],
  ['reserved', ranges([['240.0.0.0', 4]])],
];

/** Names that mean this host or a metadata service whatever DNS says. */
const LOOPBACK_NAME = /(^|\.)localhost$/;
const METADATA_NAMES = new Set(['metadata', 'metadata.google.internal', 'instance-data']);

/** Why a media URL is refused, as a field message; null when it may be fetched. */
export function mediaUrlRefusal(raw: string, policy: MediaUrlPolicy): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'must be an absolute http(s) URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must be an http(s) URL';
  // The WHATWG parser has already turned 2130706433, 0x7f.1 and 127.1 into 127.0.0.1.
  const host = url.hostname.replace(/\.$/, '').toLowerCase();
  if (METADATA_NAMES.has(host)) return 'must not point at a cloud metadata service';
  const address = host.startsWith('[') ? host.slice(1, -1) : host;
  const family = isIP(address);
  const addressClass =
    family === 0
      ? LOOPBACK_NAME.test(host)
        ? 'loopback'
        : null
      : (ADDRESS_CLASSES.find(([, block]) =>
          block.check(address, family === 6 ? 'ipv6' : 'ipv4'),
        )?.[0] ?? null);
  if (addressClass === null) return null;
  if (addressClass === 'loopback') {
    return policy.allowLoopback
      ? null
      : 'must not point at this host (loopback; allowed only with MEDIA_FETCH_ALLOW_LOOPBACK)';
  }
  return `must not point at a ${addressClass} address`;
}
