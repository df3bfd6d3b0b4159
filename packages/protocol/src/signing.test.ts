import { describe, expect, it } from 'vitest';
import { generateTerminalKeyPair, parseSignatureHeader, signRequest, verifySignature } from './signing.js';

const request = { method: 'POST', pathWithQuery: '/v1/journal/batches', body: '{"epoch":1,"events":[]}' };

describe('terminal request signing', () => {
  it('verifies a request signed with the terminal key', () => {
    const keys = generateTerminalKeyPair();
    const header = signRequest(request, 'store-1-T01', keys.privateKeyPem, 1_764_000_000_000, 'n'.repeat(22));
    const parsed = parseSignatureHeader(header)!;
    expect(parsed).toMatchObject({
      terminalId: 'store-1-T01',
      timestamp: 1_764_000_000_000,
      nonce: 'n'.repeat(22),
    });
    expect(verifySignature(request, parsed, keys.publicKey)).toBe(true);
  });

  it('fails for another body, path, method, key or a tampered timestamp', () => {
    const keys = generateTerminalKeyPair();
    const parsed = parseSignatureHeader(signRequest(request, 'T1', keys.privateKeyPem))!;
    expect(verifySignature({ ...request, body: '{}' }, parsed, keys.publicKey)).toBe(false);
    expect(verifySignature({ ...request, pathWithQuery: '/v1/catalog' }, parsed, keys.publicKey)).toBe(false);
    expect(verifySignature({ ...request, method: 'GET' }, parsed, keys.publicKey)).toBe(false);
    expect(verifySignature(request, parsed, generateTerminalKeyPair().publicKey)).toBe(false);
    expect(verifySignature(request, { ...parsed, timestamp: parsed.timestamp + 1 }, keys.publicKey)).toBe(
      false,
    );
    expect(verifySignature(request, parsed, 'not a key')).toBe(false);
  });

  it('parses only a well-formed header', () => {
    expect(parseSignatureHeader(undefined)).toBeNull();
    expect(parseSignatureHeader('Bearer abc')).toBeNull();
    expect(parseSignatureHeader('TW1-Ed25519 terminal=a b, ts=1, nonce=x, sig=y')).toBeNull();
  });
});
