/** This machine: 127.0.0.0/8, ::1 and localhost, as the URL parser normalises them (127.1 is 127.0.0.1, and so on). */
export function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

/**
 * Why a sync server URL is refused, or null: plain http:// to another machine would carry sales, enrolment codes and
 * catalog over the network in clear, readable and changeable by anyone on the way. `howToAllow` names the override.
 */
export function insecureServerProblem(
  server: string,
  allowInsecureHttp: boolean,
  howToAllow: string,
): string | null {
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    return null; // not a URL at all: the schema says so
  }
  if (url.protocol !== 'http:' || allowInsecureHttp || isLoopbackHost(url.hostname)) return null;
  return `plain http:// to ${url.hostname}, which is not this machine, would carry sales and enrolment in clear; use https://, or ${howToAllow} on a network you trust`;
}
