import { RPC_TOKEN_META_NAME } from '../contract/browser-rpc.js';

/** The RPC token the host wrote into this page when it served it; empty when the page carries none. */
export function pageRpcToken(document: Pick<Document, 'querySelector'>): string {
  return document.querySelector(`meta[name="${RPC_TOKEN_META_NAME}"]`)?.getAttribute('content') ?? '';
}

/** The token of the page the host serves now: a restarted host has a new one, which an open page cannot know. */
export async function servedRpcToken(pageUrl: string): Promise<string> {
  const response = await fetch(pageUrl, { cache: 'no-store', credentials: 'omit' });
  if (!response.ok) return '';
  return pageRpcToken(new DOMParser().parseFromString(await response.text(), 'text/html'));
}
