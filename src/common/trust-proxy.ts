import proxyAddr from 'proxy-addr';
import type { TrustProxySetting } from '../config/app-config';

export type TrustFunction = (address: string, hop: number) => boolean;

/**
 * The HTTP adapter is built before the configuration is validated, so it is handed a function
 * that delegates to the rule set here once TRUST_PROXY is known. Until then, and with TRUST_PROXY
 * off, no proxy is trusted and a forged X-Forwarded-For changes nothing.
 */
export class TrustProxyRule {
  private rule: TrustFunction = () => false;

  readonly trust: TrustFunction = (address, hop) => this.rule(address, hop);

  configure(setting: TrustProxySetting): void {
    if (setting === false) {
      this.rule = () => false;
    } else if (typeof setting === 'number') {
      this.rule = (_address, hop) => hop < setting;
    } else {
      this.rule = proxyAddr.compile(setting);
    }
  }
}
