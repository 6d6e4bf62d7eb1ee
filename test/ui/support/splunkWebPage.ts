/**
 * Makes jsdom look like a Splunk Web page before the setup page's modules load: `window.$C` from
 * the recorded `/config` answer (which @splunk/splunk-utils reads when first imported) and the
 * CSRF cookie Splunk Web sets. Import it before anything from src/ui.
 */
import config from '../fixtures/splunkweb-config.json';

(window as unknown as { $C: unknown }).$C = config;
document.cookie = `splunkweb_csrf_token_${config.MRSPARKLE_PORT_NUMBER}=${config.FORM_KEY}`;

export const SPLUNKD_PATH = config.SPLUNKD_PATH;
