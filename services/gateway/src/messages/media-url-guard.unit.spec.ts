import { describe, expect, it } from 'vitest';
import { DEFAULT_MEDIA_URL_POLICY, mediaUrlRefusal } from './media-url-guard.js';

const devPolicy = { allowLoopback: true };

describe('media URLs at the edge', () => {
  it.each([
    ['http://127.0.0.1:5432/', 'loopback'],
    ['http://localhost/a.jpg', 'loopback'],
    ['http://LOCALHOST./a.jpg', 'loopback'],
    ['http://media.localhost/a.jpg', 'loopback'],
    ['http://2130706433/', 'loopback'],
    ['http://0x7f.1/', 'loopback'],
    ['http://[::1]/', 'loopback'],
    ['http://[::ffff:127.0.0.1]/', 'loopback'],
    ['http://169.254.169.254/latest/meta-data/', 'link-local'],
    ['http://[fe80::1]/', 'link-local'],
    ['http://metadata.google.internal/computeMetadata/v1/', 'cloud metadata'],
    ['http://10.1.2.3/a.jpg', 'private'],
    ['http://172.16.0.1/a.jpg', 'private'],
    ['http://172.31.255.255/a.jpg', 'private'],
    ['http://192.168.1.1/a.jpg', 'private'],
    ['http://100.64.0.1/a.jpg', 'private'],
    ['http://[fd00:ec2::254]/', 'private'],
    ['http://[fc00::1]/', 'private'],
    ['http://[::ffff:10.0.0.1]/', 'private'],
    ['http://0.0.0.0/', 'unspecified'],
    ['http://0/', 'unspecified'],
    ['http://[::]/', 'unspecified'],
    ['http://224.0.0.1/', 'multicast'],
    ['http://240.0.0.1/', 'reserved'],
    ['https://user:pw@192.168.0.10/a.jpg', 'private'],
  ])('refuses %s (%s)', (url, kind) => {
    expect(mediaUrlRefusal(url, DEFAULT_MEDIA_URL_POLICY)).toContain(kind);
  });

  it.each([
    'file:///etc/passwd',
    'ftp://cdn.example.com/a.jpg',
    'gopher://127.0.0.1:6379/',
    'javascript:alert(1)',
  ])('refuses the scheme of %s', (url) => {
    expect(mediaUrlRefusal(url, devPolicy)).toBe('must be an http(s) URL');
  });

  it.each([
    'https://cdn.example.com/a.jpg',
    'http://203.0.113.7/a.jpg',
    'https://172.32.0.1/a.jpg',
    'https://[2001:db8::1]/a.jpg',
    'https://localhost.example.com/a.jpg',
  ])('takes %s', (url) => {
    expect(mediaUrlRefusal(url, DEFAULT_MEDIA_URL_POLICY)).toBeNull();
  });

  it('takes loopback only when the dev flag allows it, and nothing else more', () => {
    expect(mediaUrlRefusal('http://127.0.0.1:4010/media/a.jpg', devPolicy)).toBeNull();
    expect(mediaUrlRefusal('http://localhost:4010/a.jpg', devPolicy)).toBeNull();
    expect(mediaUrlRefusal('http://169.254.169.254/', devPolicy)).toContain('link-local');
    expect(mediaUrlRefusal('http://10.0.0.1/', devPolicy)).toContain('private');
  });
});
